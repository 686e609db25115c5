import type { TestProject } from 'vitest/node';
import { resolveDatabase } from '../mongo/resolve-database.js';
import type { Database } from '../mongo/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    databaseVersion: string;
  }
}

let database: Database | undefined;

export async function setup(project: TestProject): Promise<void> {
  database = await resolveDatabase({ log: (line) => console.log(`[ackproof tests] ${line}`) });
  project.provide('mongoUri', database.uri);
  project.provide('databaseVersion', database.version);
}

export async function teardown(): Promise<void> {
  await database?.stop();
}
