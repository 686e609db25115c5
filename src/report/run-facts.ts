import { formatDuration } from './format-measure.js';
import type { RunResult } from '../harness/result/result-model.js';

/** What was run, against what, as short phrases each report joins its own way. */
export function runFacts(result: RunResult): string[] {
  const facts = [
    `ackproof ${result.tool.version} ${result.command}`,
    `seed ${result.seed}`,
    `${plannedRuns(result, 'run', 'runs')} per case`,
    `database ${result.database.kind} ${result.database.version}, write concern ${result.database.writeConcern}`,
    ...(result.database.probe ? [result.database.probe.sentence] : []),
    `started ${readableTime(result.startedAt)}`,
  ];
  const took = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  if (Number.isFinite(took) && took >= 0) facts.push(`took ${formatDuration(took)}`);
  return facts;
}

/** How many property runs the cases asked for: `5 runs`, or `3 to 20 runs` when scenarios differ. */
export function plannedRuns(result: RunResult, one: string, many: string): string {
  const counts = [...new Set(result.cases.map((c) => c.plannedRuns ?? result.runsPerCase))].sort((a, b) => a - b);
  const least = counts[0] ?? result.runsPerCase;
  const most = counts[counts.length - 1] ?? result.runsPerCase;
  return least === most ? `${most} ${most === 1 ? one : many}` : `${least} to ${most} ${many}`;
}

/** `2026-11-24 17:00:00 UTC`; an unparsable time is shown as given. */
function readableTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}
