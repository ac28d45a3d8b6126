import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fsyncDirSync } from '../../common/fs/fsync-dir';
import { generateSealingKeyPair, sealingKeyPairFromPem, type SealingKeyPair } from '../../common/sealed-box/sealed-box';

export const SEALING_KEY_FILE = 'sealing-key.pem';

/**
 * The hub's X25519 sealing key pair (workstations seal their outbox journal to its public key).
 * Created on first start as `<dataDir>/sealing-key.pem` (PKCS#8, mode 0600): written to a temp
 * file, fsynced, then hard-linked into place, which fails if another hub process on the same
 * data dir won the race, so every process ends up with the same key. Losing this file means
 * entries sealed to it can no longer be opened: back it up with the hub's database.
 */
export function loadOrCreateSealingKey(dataDir: string): SealingKeyPair {
  const file = join(dataDir, SEALING_KEY_FILE);
  if (!existsSync(file)) {
    const pem = generateSealingKeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const tmp = join(dataDir, `.${SEALING_KEY_FILE}.${randomUUID()}.tmp`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(tmp);
    }
    fsyncDirSync(dataDir);
  }
  return sealingKeyPairFromPem(readFileSync(file, 'utf8'));
}
