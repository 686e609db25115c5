import { MongoServerError } from 'mongodb';

/** MongoDB's (and FerretDB's) E11000: a unique index refused the write, so nothing was written. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
