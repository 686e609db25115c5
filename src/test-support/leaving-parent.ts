import { ManagedProcess } from '../proc/managed-process.js';
import { TempDir } from '../proc/temp-dir.js';
import { watchInterrupts } from '../proc/interrupt.js';

/**
 * A parent for proc's tests: starts a child that would outlive it (it ignores SIGTERM) and a temp dir, prints
 * `{"child":PID,"dir":PATH}`, then leaves as argv[2] says — `exit` (once a line comes on stdin, so the test can look
 * at what it left first: process.exit without stopping anything) or
 * `signal` (watches signals, announces the first on stdout, and never finishes on its own: a second signal forces it).
 */
const how = process.argv[2];
const dir = TempDir.create('ackproof-proc-test-');
const child = await ManagedProcess.start({
  name: 'stubborn child',
  command: process.execPath,
  args: ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000);'],
  ready: { line: (line) => (line === 'up' ? true : undefined) },
});
if (how === 'signal') watchInterrupts({ forceAfterMs: 60_000, log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ child: child.pid, dir: dir.path })}\n`);
if (how === 'exit') process.stdin.once('data', () => process.exit(0));
setInterval(() => undefined, 1_000);
