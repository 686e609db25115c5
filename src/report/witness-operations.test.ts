import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { witnessOperations } from './witness-operations.js';

describe('witnessOperations', () => {
  const history = runResultFixture().cases[0]!.counterexample!.history;

  it('names the operation that lied: who, what, the answer, and its line in the history file', () => {
    const lines = witnessOperations(history, { kind: 'lie', description: 'x', ops: [2] });
    expect(lines).toEqual([
      'op 2 (line 9): alice send "<b>bold</b> & \\"quoted\\" | piped" (alice-2) in general at 31 ms -> fail 500 BROADCAST_FAILED (not_applied) at 47 ms',
    ]);
  });

  it('says so when a witness names an operation the history lacks, and nothing for a witness without operations', () => {
    expect(witnessOperations(history, { kind: 'lie', description: 'x', ops: [99] })).toEqual(['op 99: not in this history']);
    expect(witnessOperations(history, { kind: 'lie', description: 'x' })).toEqual([]);
  });
});
