import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { makeTestCore } from '../../../../tests/support/test-core';
import { TEST_CACHE_KEY } from '../../../../tests/support/cache-key';
import { createCore, type Core } from '../create-core';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { ConfSettingsStore } from '../settings/conf-settings-store';
import type { ImageManifestEntry } from '../../../shared/domain/case';
import { verifyAuditChain } from '../audit/audit-log';
import { signDecision } from '../decisions/sign-decision';
import { imageDir, originalPath, originalsDir } from '../images/image-paths';
import { purgeCache } from './purge-cache';
import { storeEarlierCases } from '../cases/earlier-cases';

const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };
const signedAt = new Date('2026-10-01T10:00:00.000Z');
const now = new Date('2026-11-23T10:00:00.000Z');

function image(sha256: string): ImageManifestEntry {
  return {
    id: crypto.randomUUID(),
    sha256,
    bytes: 10,
    mediaType: 'image/jpeg',
    width: 10,
    height: 10,
    kind: 'close-up',
  };
}

describe('purgeCache', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore();
  });
  afterEach(() => core.cleanup());

  function cacheCaseWithImage(sha: string): string {
    const record = sampleCase({ images: [image(sha)] });
    core.cases.upsert(record);
    mkdirSync(originalsDir(core.dataDir), { recursive: true });
    writeFileSync(originalPath(core.dataDir, sha), 'jpeg');
    // A derivative beside it: purged with its original.
    mkdirSync(imageDir(core.dataDir, sha), { recursive: true });
    writeFileSync(join(imageDir(core.dataDir, sha), 'preview.webp'), 'webp');
    return record.id;
  }

  function markSynced(caseId: string, at: string): void {
    const { id } = core.db.prepare('SELECT id FROM decisions WHERE case_id = ?').get(caseId) as { id: string };
    core.db.prepare("UPDATE decisions SET sync_state = 'synced', synced_at = ? WHERE id = ?").run(at, id);
    core.db.prepare("DELETE FROM outbox WHERE kind = 'decision' AND ref_id = ?").run(id);
  }

  it('purges rows and files of cases synced longer ago than the retention period', () => {
    const caseId = cacheCaseWithImage('1'.repeat(64));
    signDecision(core.db, { caseId, content: sampleDischarge(), consultant }, signedAt);
    markSynced(caseId, signedAt.toISOString());

    expect(purgeCache(core.db, core.dataDir, { retentionDays: 30, actor: 'c-1' }, now)).toEqual({
      casesPurged: 1,
      imagesPurged: 1,
    });
    expect(core.cases.get(caseId)).toBeNull();
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    expect(existsSync(originalPath(core.dataDir, '1'.repeat(64)))).toBe(false);
    expect(existsSync(imageDir(core.dataDir, '1'.repeat(64)))).toBe(false);
    expect(core.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'cache.purged'").get()).toEqual({
      n: 1,
    });
    expect(verifyAuditChain(core.db).ok).toBe(true);
  });

  it("removes a purged case's earlier cases from the hub, and their image files unless another case still cites them", () => {
    const writeOriginal = (sha: string): void => writeFileSync(originalPath(core.dataDir, sha), 'jpeg');
    const purged = cacheCaseWithImage('a'.repeat(64));
    const kept = cacheCaseWithImage('b'.repeat(64));
    const earlierOf = (id: string, sha: string) => ({
      id,
      receivedAt: '2026-05-01T09:00:00.000Z',
      referral: {
        priority: 'routine' as const,
        presentingComplaint: 'Earlier lesion',
        duration: '1 month',
        site: { region: 'left-forearm-posterior', description: '' },
      },
      decision: null,
      images: [{ ...image(sha), bodySite: 'left-forearm-posterior' }],
    });
    const onlyPurged = earlierOf(crypto.randomUUID(), 'c'.repeat(64));
    const shared = earlierOf(crypto.randomUUID(), 'd'.repeat(64));
    writeOriginal('c'.repeat(64));
    writeOriginal('d'.repeat(64));
    storeEarlierCases(core.db, purged, [onlyPurged, shared]);
    storeEarlierCases(core.db, kept, [shared]);
    signDecision(core.db, { caseId: purged, content: sampleDischarge(), consultant }, signedAt);
    markSynced(purged, signedAt.toISOString());

    expect(purgeCache(core.db, core.dataDir, { retentionDays: 30, actor: 'c-1' }, now)).toEqual({
      casesPurged: 1,
      imagesPurged: 2, // its own and the earlier image only it cited
    });
    expect(core.db.prepare('SELECT case_id FROM earlier_cases').all()).toEqual([{ case_id: kept }]);
    expect(existsSync(originalPath(core.dataDir, 'c'.repeat(64)))).toBe(false);
    expect(existsSync(originalPath(core.dataDir, 'd'.repeat(64)))).toBe(true);
  });

  it('never purges anything unsynced, however old', () => {
    const pending = cacheCaseWithImage('2'.repeat(64));
    signDecision(core.db, { caseId: pending, content: sampleDischarge(), consultant }, signedAt);
    const review = cacheCaseWithImage('3'.repeat(64));
    signDecision(core.db, { caseId: review, content: sampleDischarge(), consultant }, signedAt);
    core.db.prepare("UPDATE decisions SET sync_state = 'needs-review' WHERE case_id = ?").run(review);
    const undecided = cacheCaseWithImage('4'.repeat(64));

    expect(purgeCache(core.db, core.dataDir, { retentionDays: 0, actor: 'c-1' }, now)).toEqual({
      casesPurged: 0,
      imagesPurged: 0,
    });
    for (const id of [pending, review, undecided]) expect(core.cases.get(id)).not.toBeNull();
  });

  it('keeps recently synced cases and images still used by another case', () => {
    const shared = '5'.repeat(64);
    const old = cacheCaseWithImage(shared);
    signDecision(core.db, { caseId: old, content: sampleDischarge(), consultant }, signedAt);
    markSynced(old, signedAt.toISOString());
    const recent = cacheCaseWithImage(shared);
    signDecision(core.db, { caseId: recent, content: sampleDischarge(), consultant }, now);
    markSynced(recent, now.toISOString());

    expect(purgeCache(core.db, core.dataDir, { retentionDays: 30, actor: 'c-1' }, now)).toEqual({
      casesPurged: 1,
      imagesPurged: 0,
    });
    expect(core.cases.get(recent)).not.toBeNull();
    expect(existsSync(originalPath(core.dataDir, shared))).toBe(true);
  });
});

describe('retention at start-up', () => {
  it('the core purges on start with the configured retention period', () => {
    const dir = makeTempDir();
    const settings = new ConfSettingsStore(dir.path);
    const open = (): Core =>
      createCore({
        dataDir: dir.path,
        secrets: new MemorySecretStore(),
        settings,
        appVersion: 't',
        databaseKey: TEST_CACHE_KEY,
        now: () => now,
      });
    const first = open();
    const record = sampleCase({ images: [image('6'.repeat(64))] });
    first.cases.upsert(record);
    signDecision(first.db, { caseId: record.id, content: sampleDischarge(), consultant }, signedAt);
    first.db.prepare("UPDATE decisions SET sync_state = 'synced', synced_at = ?").run(signedAt.toISOString());
    first.db.prepare("DELETE FROM outbox WHERE kind = 'decision'").run();
    first.close();

    settings.update({ retentionDays: 365 });
    const kept = open();
    expect(kept.cases.get(record.id)).not.toBeNull();
    kept.close();

    settings.update({ retentionDays: 7 });
    const purged = open();
    expect(purged.cases.get(record.id)).toBeNull();
    purged.close();
    dir.remove();
  });
});
