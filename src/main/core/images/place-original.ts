import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { encryptBuffer } from '../crypto/file-cipher';
import { originalPath, originalsDir } from './image-paths';

/**
 * Puts bytes, encrypted, at the content-addressed original path, for tests and e2e seeding only:
 * the app stores originals through ImageStore (hash-checked, fsynced download). Returns the SHA-256.
 */
export function placeOriginal(dataDir: string, key: Buffer, bytes: Uint8Array): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(originalsDir(dataDir), { recursive: true });
  writeFileSync(originalPath(dataDir, sha256), encryptBuffer(key, bytes));
  return sha256;
}
