import { describe, expect, it } from 'vitest';
import { hashLinkToken, LINK_TOKEN_PATTERN, linkState, newLinkToken } from './link-token';

describe('link tokens', () => {
  it('are 256-bit, distinct, and stored only as a hash', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newLinkToken().token));
    expect(tokens.size).toBe(1000);
    const { token, hash } = newLinkToken();
    expect(token).toMatch(LINK_TOKEN_PATTERN);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashLinkToken(token));
    expect(hash).not.toContain(token);
  });

  it('are open until expiry, then expired; spent wins', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(linkState({ expiresAt: '2026-11-23T10:00:01Z', spentAt: null }, now)).toBe('open');
    expect(linkState({ expiresAt: '2026-11-23T10:00:00Z', spentAt: null }, now)).toBe('expired');
    expect(linkState({ expiresAt: '2026-11-22T10:00:00Z', spentAt: '2026-11-21T10:00:00Z' }, now)).toBe('spent');
  });
});
