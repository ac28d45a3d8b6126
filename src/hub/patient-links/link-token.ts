import { createHash, randomBytes } from 'node:crypto';

/**
 * Link tokens: 256 random bits, base64url (43 characters), so they cannot be guessed. The hub
 * stores only the SHA-256 of a token: a copy of the database does not open anyone's link.
 */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const DEFAULT_LINK_DAYS = 7;

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type LinkState = 'open' | 'expired' | 'spent';

/** Pure: where a link stands at `now`. Spent wins over expired (it was used in time). */
export function linkState(link: { expiresAt: string; spentAt: string | null }, now: Date): LinkState {
  if (link.spentAt) return 'spent';
  return new Date(link.expiresAt).getTime() <= now.getTime() ? 'expired' : 'open';
}
