import type { RunResult } from '../harness/result/result-model.js';

/**
 * One order that reads well for every object in the model (RunResult, CaseResult, Counterexample, verdicts, history
 * events, messages): what it is first, then when and who, then the verdict, and the bulky parts (cases, histories)
 * last, so the top of result.json reads as a summary. Any other key follows, alphabetically.
 */
const KEY_ORDER = [
  ...['formatVersion', 'type', 'tool', 'command', 'id', 'name', 'kind', 'time', 'process', 'op', 'status'],
  ...['httpStatus', 'event', 'state', 'code', 'reason', 'fault', 'phase', 'target', 'params'],
  ...['scenario', 'description', 'pattern', 'seed', 'path', 'startedAt', 'finishedAt', 'database'],
  ...['roomId', 'senderId', 'messageId', 'clientMsgId', 'text', 'seq', 'version', 'writeConcern'],
  ...['createdAt', 'editedAt', 'deletedAt', 'processes', 'ops', 'runsPerCase', 'targets'],
  ...['valid', 'expected', 'actual', 'met', 'runs', 'durationMs', 'summary', 'error', 'witnesses'],
  ...['violated', 'commands', 'historyFile', 'runHistoryFiles', 'message', 'after', 'changes', 'latestVersion', 'hasMore'],
  ...['count', 'p50', 'p99', 'max', 'invariants', 'measures'],
  ...['expectations', 'check', 'counterexample', 'cases', 'topology', 'rooms', 'messages', 'history'],
];
const RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));

/**
 * result.json: the RunResult as it is, pretty-printed with a stable key order, so two results of the same run
 * diff cleanly whatever order the runner built its objects in. Arrays keep their order (it means something).
 */
export function renderJsonReport(result: RunResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (isPlainObject(value) ? ordered(value) : value), 2) + '\n';
}

function ordered(object: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(object).sort((a, b) => {
    const byRank = (RANK.get(a) ?? KEY_ORDER.length) - (RANK.get(b) ?? KEY_ORDER.length);
    return byRank !== 0 ? byRank : a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
