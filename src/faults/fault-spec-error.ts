/** A toxic, frame rule or fault spec that cannot be applied, with a sentence naming what is wrong. */
export class FaultSpecError extends Error {
  readonly code = 'FAULT_SPEC_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}
