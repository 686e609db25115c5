import { WebSocket } from 'ws';

/**
 * Closes `socket` the way its peer closed: the same code and reason when that code may be sent on the wire;
 * 1005 (no code) as a close without a code; 1006 (abnormal, e.g. a dropped TCP connection) as a terminate, so the
 * other side sees an abnormal close too.
 */
export function closeLike(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
  if (isSendableCloseCode(code)) socket.close(code, reason);
  else if (code === 1005) socket.close();
  else socket.terminate();
}

function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
