import { describe, expect, it } from 'vitest';
import { CACHE_KEY_ACCOUNT, ensureCacheKey } from './cache-key';
import { MemorySecretStore } from './memory-secret-store';

describe('ensureCacheKey', () => {
  it('creates a random 256-bit key once and then reuses it', async () => {
    const secrets = new MemorySecretStore();
    const first = await ensureCacheKey(secrets);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    expect(await secrets.get(CACHE_KEY_ACCOUNT)).toBe(first.key);
    expect(await ensureCacheKey(secrets)).toEqual({ key: first.key, created: false });
    expect((await ensureCacheKey(new MemorySecretStore())).key).not.toBe(first.key);
  });
});
