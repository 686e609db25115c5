/** A MongoDB-compatible server the reference server and the tests can reach, whoever started it. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly uri: string;
  /** Human-readable server version, e.g. "MongoDB 7.0.14" or "FerretDB v1.24.2 (MongoDB 7.0.77 wire)". */
  readonly version: string;
  /** How it was chosen, for logs and reports. */
  readonly description: string;
  /** The database server's process id when ackproof started it on this machine (benchmarks read its CPU time). */
  readonly pid?: number | undefined;
  stop(): Promise<void>;
}

export type DatabaseKind = 'uri' | 'mongodb-memory-server' | 'ferretdb';

/** Optional capability: a database process that ackproof started and may kill and restart (a process fault). */
export interface KillableDatabase extends Database {
  /** SIGKILL the database process; its data stays on disk. */
  kill(): Promise<void>;
  /** Start it again on the same address and data. */
  restart(): Promise<void>;
}

export function isKillable(db: Database): db is KillableDatabase {
  return typeof (db as Partial<KillableDatabase>).kill === 'function';
}
