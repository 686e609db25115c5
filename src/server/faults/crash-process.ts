/**
 * Dies at once, like a power cut: no handlers, no flush, no graceful close. The one place outside src/cli that
 * touches `process`, on purpose (the crash.afterSave fault point).
 */
export function crashProcess(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously; make sure nothing after the fault point runs meanwhile.
  throw new Error('crash.afterSave: killed');
}
