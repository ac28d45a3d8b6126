import { readFileSync } from 'node:fs';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import { TEST_CACHE_KEY } from '../support/cache-key';
import { createCore, type Core } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import type { ImageKind } from '../../src/shared/domain/case';
import { dermoscopyFixtures } from '../support/fixtures';
import { sampleCase, sampleNhsNumber } from '../support/sample-case';

/** Shared setup for the sync integration tests: a real hub on loopback with a consultant and real images. */
export const CONSULTANT = {
  username: 'dr.sync',
  password: 'correct horse battery staple',
  displayName: 'Dr Sync Test',
};

export async function startTestHub(dataDir: string, port = 0): Promise<RunningHub> {
  return startHub({ dataDir, port, loginLimits: { perUser: 1000, perIp: 1000, windowMinutes: 1 } });
}

export async function seedConsultant(hub: RunningHub): Promise<{ id: string }> {
  const existing = await hub.admin.findUser(CONSULTANT.username);
  if (existing) return { id: existing.id };
  return hub.admin.createUser(CONSULTANT);
}

const KINDS: ImageKind[] = ['overview', 'close-up', 'dermoscopy'];

/** Adds `count` referrals to the pool, each with `imagesPerCase` real dermoscopy images. */
export async function seedCases(hub: RunningHub, count: number, imagesPerCase = 2): Promise<string[]> {
  const fixtures = dermoscopyFixtures().map((f) => readFileSync(f));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = sampleCase({ patient: { ...sampleCase().patient, nhsNumber: sampleNhsNumber(1000 + i * 7) } });
    const record = await hub.admin.addCase({
      patient: c.patient,
      practice: c.practice,
      referral: c.referral,
      images: Array.from({ length: imagesPerCase }, (_, k) => ({
        bytes: fixtures[(i + k) % fixtures.length] as Buffer,
        kind: KINDS[k % KINDS.length] as ImageKind,
      })),
    });
    ids.push(record.id);
  }
  return ids;
}

/**
 * A real workstation core on `dataDir`, with the outbox driven by the test (no background polling).
 * Preview derivation is off unless `derive` (it is the viewer's pipeline and would only compete
 * for the CPU here); the walk test turns it on to prove the hand-over.
 */
export function openCore(
  dataDir: string,
  secrets = new MemorySecretStore(),
  options: { timeoutMs?: number; derive?: boolean; now?: () => Date } = {},
): Core {
  return createCore({
    dataDir,
    secrets,
    ...(options.now ? { now: options.now } : {}),
    settings: new ConfSettingsStore(dataDir),
    appVersion: '0.0.0-test',
    databaseKey: TEST_CACHE_KEY,
    sync: {
      autoStartOutbox: false,
      ...(options.derive ? {} : { onImageStored: () => undefined }),
      ...(options.timeoutMs ? { requestTimeoutMs: options.timeoutMs, imageIdleTimeoutMs: options.timeoutMs } : {}),
    },
  });
}

export async function signIn(core: Core, hubUrl: string): Promise<{ id: string; displayName: string }> {
  const status = await core.handlers['sync.signIn']({
    hubUrl,
    username: CONSULTANT.username,
    password: CONSULTANT.password,
  });
  if (!status.consultant) throw new Error('sign-in returned no consultant');
  return status.consultant;
}

export function caseStates(core: Core): Record<string, string> {
  const rows = core.db.prepare('SELECT id, state FROM cases').all() as Array<{ id: string; state: string }>;
  return Object.fromEntries(rows.map((r) => [r.id, r.state]));
}
