/** The per-launch token of web mode: random, compared in constant time. */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Only pages served by this server may open the bridge (a browser always sends Origin on WebSocket). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // non-browser clients (tests, tools) still need the token
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
