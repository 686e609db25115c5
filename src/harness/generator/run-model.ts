/** The generator's model of a run: just enough to keep command sequences meaningful while they shrink. */
export interface RunModel {
  /** Keys (faultKey) of the faults started and not yet healed. */
  activeFaults: Set<string>;
  /** The commands that ran, in order (fast-check skips those whose `check` fails): what a counterexample prints. */
  ran: string[];
}

export function emptyModel(): RunModel {
  return { activeFaults: new Set(), ran: [] };
}
