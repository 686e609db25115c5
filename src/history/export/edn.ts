import type { JepsenOp, JepsenValue } from './jepsen-ops.js';

/** Jepsen's history.edn: one op map per line, keys in Jepsen's order (`:index :time :type :process :f :value`). */
export function renderEdnHistory(ops: readonly JepsenOp[]): string {
  return ops.map((op) => `{:index ${op.index}, :time ${op.time}, :type ${edn(op.type)}, :process ${edn(op.process)}, :f ${edn(op.f)}, :value ${edn(op.value)}}\n`).join('');
}

/** elle-cli's JSON: one array of op objects (not JSON lines), keywords as strings. */
export function renderElleJsonHistory(ops: readonly JepsenOp[]): string {
  return `[\n${ops.map((op) => `  ${JSON.stringify(plain(op as unknown as JepsenValue))}`).join(',\n')}\n]\n`;
}

export function edn(value: JepsenValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(edn).join(' ')}]`;
  if (isKeyword(value)) return `:${value.keyword}`;
  return `{${Object.entries(value).map(([k, v]) => `:${k} ${edn(v)}`).join(', ')}}`;
}

function plain(value: JepsenValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  if (isKeyword(value)) return value.keyword;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

function isKeyword(value: object): value is { keyword: string } {
  return Object.keys(value).length === 1 && typeof (value as { keyword?: unknown }).keyword === 'string';
}
