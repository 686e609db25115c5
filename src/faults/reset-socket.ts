import type { Socket } from 'node:net';

/**
 * RSTs a socket (`resetAndDestroy()`), or, when its own FIN is already under way, destroys it.
 *
 * Why: after `end()` the socket has a shutdown request queued in libuv until the next turn of the loop (longer if
 * the peer does not read). libuv refuses an RST then (`uv_tcp_close_reset` returns EINVAL), but Node (20.x) has
 * already marked the handle closing: the socket emits `error` EINVAL, never `close`, its handle is never closed,
 * a `net.Server` waiting for it never finishes `close()`, and at exit Node's handle clean-up spins forever on it
 * (seen as `ackproof compare` hanging at 100% CPU after its report). Such a socket has told its peer "no more data"
 * already, so a plain destroy is what the peer would see of a reset now anyway.
 */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableEnded && !socket.writableFinished) socket.destroy();
  else socket.resetAndDestroy();
}
