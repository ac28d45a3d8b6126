import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer tokens: 256 random bits; the hub stores only their SHA-256, so a stolen database yields none. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
