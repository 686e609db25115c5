import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { StoreOutcomeUnknownError, StoreUnavailableError, type ChatError } from '../chat/chat-error.js';
import { DatabaseCircuitOpenError } from './database-circuit.js';

/** Server error codes after which a write may still have been applied (shutdown, interruption, time limits). */
const AMBIGUOUS_SERVER_CODES = new Set([50, 64, 91, 189, 11600, 11602]);

/**
 * Maps a driver error on a write to the contract's outcome, honestly: `not_applied` only when the command
 * certainly never reached a server or the server refused it; otherwise (a network error or timeout after the
 * command may have been sent, a write concern error after the write was applied) `unknown`.
 */
export function writeErrorOutcome(error: unknown, what: string): ChatError {
  if (certainlyNotSent(error)) {
    return new StoreUnavailableError(`${what}: database unreachable, nothing written (${describe(error)})`, { cause: error });
  }
  if (error instanceof MongoServerError && !(error instanceof MongoWriteConcernError) && !error.errInfo?.writeConcern
      && !AMBIGUOUS_SERVER_CODES.has(Number(error.code))) {
    return new StoreUnavailableError(`${what}: the database refused the write (${describe(error)})`, { cause: error });
  }
  return new StoreOutcomeUnknownError(`${what}: the write may or may not have been applied (${describe(error)})`, {
    cause: error,
  });
}

/** Reads change nothing, so any failure is `not_applied`. */
export function readErrorOutcome(error: unknown, what: string): ChatError {
  return new StoreUnavailableError(`${what}: database read failed (${describe(error)})`, { cause: error });
}

function certainlyNotSent(error: unknown): boolean {
  // Refused before the driver was called (the circuit knew the database was down).
  if (error instanceof DatabaseCircuitOpenError) return true;
  if (error instanceof MongoServerSelectionError) return true;
  if (error instanceof MongoNotConnectedError || error instanceof MongoTopologyClosedError) return true;
  // A checkout refused because the pool was cleared. (An in-use connection interrupted by a cleared pool fails with
  // PoolClearedOnNetworkError instead: its command may have been sent, so that one stays unknown.)
  if (error instanceof Error && error.name === 'MongoPoolClearedError') return true;
  if (!(error instanceof MongoNetworkError)) return false;
  // The driver marks failures while the connection was still being set up: no command was sent on it.
  if ((error as { beforeHandshake?: boolean }).beforeHandshake === true) return true;
  // A refused or failed TCP connect (driver 7 reports it with beforeHandshake false): no socket, so no command.
  return (error.cause as NodeJS.ErrnoException | undefined)?.syscall === 'connect';
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}
