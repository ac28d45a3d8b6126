import { imageKeyFromCacheKey } from '../../src/main/core/crypto/file-cipher';

/**
 * The cache key for test cores. The app keeps a random one in the OS keychain; tests use a fixed
 * one so a test can reopen the same data directory (a restart) or read the database itself.
 */
export const TEST_CACHE_KEY = '5e'.repeat(32);
export const testImageKey = imageKeyFromCacheKey(TEST_CACHE_KEY);

/** Opens a raw connection's view of an encrypted cache (as open-database.ts keys it). */
export function applyCacheKey(db: { pragma(source: string): unknown }, key: string = TEST_CACHE_KEY): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma(`key="x'${key}'"`);
}
