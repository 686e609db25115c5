import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerLeftover } from './cleanup-registry.js';

/** A directory under the OS temp dir (`$TMPDIR`), removed by `remove()` or, at the latest, when the process exits. */
export class TempDir {
  private readonly unregister: () => void;

  private constructor(readonly path: string) {
    this.unregister = registerLeftover({
      description: `temp dir ${path}`,
      dispose: async () => this.removeNow(),
      disposeNow: () => this.removeNow(),
    });
  }

  /** `prefix` like `ackproof-case-`: the name says who left it, should anything ever survive. */
  static create(prefix: string): TempDir {
    return new TempDir(mkdtempSync(join(tmpdir(), prefix)));
  }

  remove(): void {
    this.unregister();
    this.removeNow();
  }

  private removeNow(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
