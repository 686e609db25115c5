/** A scenario file that cannot be used; the message names the file and the field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(field ? `${file}: field "${field}": ${detail}` : `${file}: ${detail}`);
  }
}
