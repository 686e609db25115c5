import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { survivors } from '../test-support/process-tree.js';
import { ManagedProcess } from './managed-process.js';
import { ProcessStartError } from './process-start-error.js';

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });
const LEAVING_PARENT = fileURLToPath(new URL('../test-support/leaving-parent.ts', import.meta.url));

describe('ManagedProcess', () => {
  it('is ready when its ready line comes, with what the line announced', async () => {
    const child = await ManagedProcess.start({
      name: 'announcer',
      ...node('console.log("noise"); console.log(JSON.stringify({ port: 1234 })); setInterval(() => {}, 1000);'),
      ready: { line: (line) => (line.startsWith('{') ? (JSON.parse(line) as { port: number }) : undefined) },
    });
    expect(child.ready).toEqual({ port: 1234 });
    expect(child.running).toBe(true);
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(child.running).toBe(false);
  });

  it('a child that exits before it is ready: the error says how, with its last stderr lines', async () => {
    const error = await ManagedProcess.start({
      name: 'quitter',
      ...node('console.error("cannot listen: EADDRINUSE"); process.exit(3);'),
      ready: { line: () => undefined },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessStartError);
    expect(error).toMatchObject({ code: 'EXITED_BEFORE_READY', details: { exit: { code: 3, signal: null } } });
    expect((error as Error).message).toContain('cannot listen: EADDRINUSE');
  });

  it('a binary that does not exist: SPAWN_FAILED with the errno', async () => {
    const error = await ManagedProcess.start({ name: 'ghost', command: '/nonexistent/ackproof-ghost' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPAWN_FAILED', details: { errno: 'ENOENT' } });
  });

  it('a child never ready within its deadline is killed, not left behind', async () => {
    let pid: number | undefined;
    const error = await ManagedProcess.start({
      name: 'sleeper',
      ...node('console.log(process.pid); setInterval(() => {}, 1000);'),
      ready: { line: (line) => void (pid = Number(line)) },
      readyTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_READY' });
    expect(pid).toBeGreaterThan(0);
    expect(await survivors([pid!])).toEqual([]);
  });

  it('stop() escalates to SIGKILL when the child ignores the polite signal', async () => {
    const child = await ManagedProcess.start({
      name: 'stubborn',
      ...node('process.on("SIGTERM", () => console.error("no")); console.log("up"); setInterval(() => {}, 1000);'),
      ready: { line: (line) => (line === 'up' ? true : undefined) },
    });
    expect(await child.stop('SIGTERM', 200)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  for (const how of ['exit', 'signal'] as const) {
    it(`a parent that ${how === 'exit' ? 'calls process.exit' : 'gets SIGTERM twice'} leaves no child and no temp dir`, async () => {
      const parent = spawn(process.execPath, ['--import', 'tsx', LEAVING_PARENT, how], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => parent.once('exit', resolve));
      const lines = createInterface({ input: parent.stdout })[Symbol.asyncIterator]();
      const { child, dir } = JSON.parse((await lines.next()).value as string) as { child: number; dir: string };
      expect(existsSync(dir)).toBe(true);
      // Until now the parent waited: on `exit` it leaves when told, so the dir above was seen before it could go.
      if (how === 'exit') parent.stdin.write('go\n');
      if (how === 'signal') {
        parent.kill('SIGTERM');
        expect((await lines.next()).value).toMatch(/^SIGTERM: stopping/);
        parent.kill('SIGTERM');
      }
      expect(await exited).toBe(how === 'exit' ? 0 : 143);
      expect(await survivors([child])).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    });
  }
});
