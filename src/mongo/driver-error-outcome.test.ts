import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoWriteConcernError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DatabaseCircuitOpenError } from './database-circuit.js';
import { writeErrorOutcome } from './driver-error-outcome.js';

describe('writeErrorOutcome', () => {
  const outcome = (error: unknown) => writeErrorOutcome(error, 'send').outcome;

  it('is not_applied only when the write certainly did not happen', () => {
    expect(outcome(new MongoNetworkError('connect ECONNREFUSED', { beforeHandshake: true }))).toBe('not_applied');
    expect(outcome(new MongoServerError({ code: 11000, errmsg: 'duplicate key' }))).toBe('not_applied');
    // What driver 7 reports for a refused connect to a database that went away: beforeHandshake is false.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(outcome(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:1', { beforeHandshake: false, cause: refused }))).toBe('not_applied');
    // Refused by the circuit before the driver was called.
    expect(outcome(new DatabaseCircuitOpenError('database known to be unreachable'))).toBe('not_applied');
  });

  it('is unknown when the write may have been applied', () => {
    expect(outcome(new MongoNetworkError('connection closed'))).toBe('unknown');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    expect(outcome(new MongoNetworkError('read ECONNRESET', { cause: reset }))).toBe('unknown');
    expect(outcome(new MongoNetworkTimeoutError('socket timeout'))).toBe('unknown');
    expect(outcome(new MongoWriteConcernError({ writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } } as never))).toBe('unknown');
    expect(outcome(new MongoServerError({ code: 91, errmsg: 'shutdown in progress' }))).toBe('unknown');
    expect(outcome(new Error('something else'))).toBe('unknown');
    // A connection in use when a failed heartbeat cleared the pool: its command may have been sent.
    const interrupted = Object.defineProperty(new MongoNetworkError('connection interrupted'), 'name', { value: 'PoolClearedOnNetworkError' });
    expect(outcome(interrupted)).toBe('unknown');
  });
});
