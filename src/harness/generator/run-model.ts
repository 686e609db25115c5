/** The generator's model of a run: just enough to keep command sequences meaningful while they shrink. */
export interface RunModel {
  /** Keys (faultKey) of the faults started and not yet healed. */
  activeFaults: Set<string>;
}

export function emptyModel(): RunModel {
  return { activeFaults: new Set() };
}
