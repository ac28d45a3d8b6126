import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store';

export const CACHE_KEY_ACCOUNT = 'cache-key';

/**
 * The random key that encrypts this workstation's cache at rest. It is created on first run and
 * lives only in the OS keychain; the data directory alone (a stolen laptop disk, a backup) reads
 * as noise.
 */
export async function ensureCacheKey(secrets: SecretStore): Promise<{ key: string; created: boolean }> {
  const existing = await secrets.get(CACHE_KEY_ACCOUNT);
  if (existing) return { key: existing, created: false };
  const key = randomBytes(32).toString('hex');
  await secrets.set(CACHE_KEY_ACCOUNT, key);
  return { key, created: true };
}
