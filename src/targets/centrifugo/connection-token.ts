import { createHmac } from 'node:crypto';

/**
 * A Centrifugo connection token: a JWT signed with HMAC SHA-256 whose `sub` is the user id. Centrifugo's own model
 * (the application backend issues a token per user, Centrifugo verifies it with the shared secret), rather than
 * insecure mode, so every client really is the user it claims to be. No `exp`: a run is minutes long and a token that
 * expired mid-run would be a failure of the harness, not of Centrifugo.
 */
export function connectionToken(userId: string, hmacSecret: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: userId }));
  const signature = createHmac('sha256', hmacSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
