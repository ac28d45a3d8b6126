import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CaseRecord } from '../../src/shared/domain/case';
import type { SignedDecision } from '../../src/shared/domain/decision';
import type { HubRepository } from '../../src/hub/store/hub-repository';
import { openHubStore, type HubDatabaseConfig } from '../../src/hub/store/open-hub-store';
import { sampleCase, sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { createTestDatabase } from '../support/test-postgres';

export const engines = ['sqlite', 'postgres'] as const;
export type EngineName = (typeof engines)[number];

/** A fresh, empty database on `engine`; `open()` may be called again for a second connection (another "process"). */
export interface TestStore {
  config: HubDatabaseConfig;
  open(): Promise<HubRepository>;
  /** Closes every repository opened here and removes the database's files. */
  close(): Promise<void>;
}

export async function freshStore(engine: EngineName): Promise<TestStore> {
  const dir = engine === 'sqlite' ? makeTempDir('dermdesk-store-') : null;
  const config: HubDatabaseConfig = dir
    ? { kind: 'sqlite', file: join(dir.path, 'hub.sqlite') }
    : { kind: 'postgres', url: await createTestDatabase() };
  const opened: HubRepository[] = [];
  return {
    config,
    async open() {
      const repo = await openHubStore(config);
      opened.push(repo);
      return repo;
    },
    async close() {
      for (const repo of opened.splice(0)) await repo.close();
      dir?.remove();
    },
  };
}

export const NOW = '2026-11-23T10:00:00.000Z';
export const LATER = '2026-11-24T10:00:00.000Z';

export async function addConsultant(repo: HubRepository, name = `c-${randomUUID().slice(0, 8)}`): Promise<string> {
  const id = randomUUID();
  await repo.createUser({ id, username: name, displayName: `Dr ${name}`, role: 'consultant', passwordHash: 'x' }, NOW);
  return id;
}

export function caseWith(
  i: number,
  extra: Partial<Omit<CaseRecord, 'referral'>> & { referral?: Partial<CaseRecord['referral']> } = {},
): CaseRecord {
  const sha = (n: number) => n.toString(16).padStart(64, '0');
  return sampleCase({
    images: [
      {
        id: randomUUID(),
        sha256: sha(i + 1),
        bytes: 100,
        mediaType: 'image/jpeg',
        width: 800,
        height: 600,
        kind: 'dermoscopy',
      },
    ],
    ...extra,
    referral: { receivedAt: new Date(Date.parse(NOW) - (100 - i) * 60_000).toISOString(), ...extra.referral },
  });
}

export function decisionFor(caseId: string, consultantId: string, over: Partial<SignedDecision> = {}): SignedDecision {
  return {
    ...sampleDischarge(),
    id: randomUUID(),
    caseId,
    caseVersion: 1,
    version: 1,
    supersedes: null,
    signedBy: { id: consultantId, displayName: 'Dr Test' },
    signedAt: NOW,
    ...over,
  };
}
