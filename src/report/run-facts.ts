import { formatDuration } from './format-measure.js';
import type { RunResult } from './result-model.js';

/** What was run, against what, as short phrases each report joins its own way. */
export function runFacts(result: RunResult): string[] {
  const facts = [
    `ackproof ${result.tool.version} ${result.command}`,
    `seed ${result.seed}`,
    `${result.runsPerCase} ${result.runsPerCase === 1 ? 'run' : 'runs'} per case`,
    `database ${result.database.kind} ${result.database.version}, write concern ${result.database.writeConcern}`,
    `started ${readableTime(result.startedAt)}`,
  ];
  const took = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  if (Number.isFinite(took) && took >= 0) facts.push(`took ${formatDuration(took)}`);
  return facts;
}

/** `2026-11-24 17:00:00 UTC`; an unparsable time is shown as given. */
function readableTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}
