import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSealingKeyPair, sealingKeyPairFromPem, type SealingKeyPair } from '../../common/sealed-box/sealed-box';
import type { HubRepository } from '../store/hub-repository';

/** Where hubs before the shared store kept the key (one data dir per hub machine). */
export const LEGACY_SEALING_KEY_FILE = 'sealing-key.pem';
const META_KEY = 'sealing-key-pkcs8';

/**
 * The hub's X25519 sealing key pair (workstations seal their outbox journal to its public key),
 * kept in the hub's database (meta) so every hub process on one database holds the same key:
 * the first process to start stores one (INSERT ... ON CONFLICT DO NOTHING) and every process
 * uses what is stored. A key from an older hub's `<dataDir>/sealing-key.pem` is carried over, so
 * entries already sealed to it still open. Back the database up: entries sealed to a lost key
 * cannot be opened.
 */
export async function loadOrCreateSealingKey(repo: HubRepository, legacyDir?: string): Promise<SealingKeyPair> {
  const stored = await repo.getMeta(META_KEY);
  if (stored) return sealingKeyPairFromPem(stored);
  const legacy = legacyDir ? join(legacyDir, LEGACY_SEALING_KEY_FILE) : null;
  const pem =
    legacy && existsSync(legacy)
      ? readFileSync(legacy, 'utf8')
      : generateSealingKeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return sealingKeyPairFromPem(await repo.initMeta(META_KEY, pem));
}
