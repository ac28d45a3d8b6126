import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import { createCore, type Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { generateSealingKeyPair, keyIdOf, publicKeyFromRaw, seal } from '../../src/common/sealed-box/sealed-box';
import { SEALED_DIR } from '../../src/main/core/outbox/sealed-journal';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { sealingKeyResponseSchema } from '../../src/shared/hub-api/sealed-outbox';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * Key loss and the sealed outbox, end to end: a real hub on loopback, real SQLite caches, two
 * cores on one data directory with different cache keys (the keychain lost the first).
 */
const KEY_BEFORE = 'a1'.repeat(32);
const KEY_AFTER = 'b2'.repeat(32);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function deskCore(dataDir: string, databaseKey: string, secrets = new MemorySecretStore()): Core {
  return createCore({
    dataDir,
    secrets,
    settings: new ConfSettingsStore(dataDir),
    appVersion: '0.0.0-test',
    databaseKey,
    sync: { autoStartOutbox: false, onImageStored: () => undefined },
  });
}

function journalFiles(dataDir: string): string[] {
  const root = join(dataDir, SEALED_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function hubJson(url: string, path: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(`${url}${HUB_API_PREFIX}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function login(url: string, who: { username: string; password: string }): Promise<string> {
  const { body } = await hubJson(url, '/auth/login', { method: 'POST', body: JSON.stringify(who) });
  return String(body['token']);
}

describe('key loss: signed decisions survive through the sealed outbox journal', () => {
  it('delivers a decision signed offline exactly once after the cache key was lost', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    const deskDir = makeTempDir('dermdesk-desk-');
    cleanups.push(hubDir.remove, deskDir.remove);
    let hub: RunningHub = await startTestHub(hubDir.path);
    cleanups.push(() => hub.close());
    await seedConsultant(hub);
    const [caseId] = await seedCases(hub, 1, 1);

    const first = deskCore(deskDir.path, KEY_BEFORE);
    const consultant = await signIn(first, hub.url);
    await first.handlers['sync.run']({ claim: 1 });
    // Sent rows (the sign-in's audit row) took their sealed copies with them.
    expect(journalFiles(deskDir.path)).toEqual([]);
    expect(new ConfSettingsStore(deskDir.path).get().hubSealingKey?.keyId).toMatch(/^[0-9a-f]{16}$/);

    const patient = (await hub.admin.caseState(caseId!))?.record.patient;
    // The hub goes away; the consultant signs on the train.
    await hub.close();
    const decision = signDecision(
      first.db,
      { caseId: caseId!, content: sampleDischarge(), consultant },
      new Date(),
      first.journal,
    );
    await new Promise((resolve) => setImmediate(resolve));
    first.close();
    const lostJournal = readdirSync(join(deskDir.path, SEALED_DIR));
    expect(lostJournal).toHaveLength(1);
    expect(journalFiles(deskDir.path).some((f) => f.endsWith(`decision~${decision.id}.sealed`))).toBe(true);
    // The journal holds no patient data in clear (the cache itself is SQLCipher-encrypted).
    for (const f of journalFiles(deskDir.path)) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from(patient!.nhsNumber))).toBe(false);
      expect(bytes.includes(Buffer.from(patient!.familyName))).toBe(false);
    }

    // The keychain was reset: another cache key, no hub token.
    const second = deskCore(deskDir.path, KEY_AFTER);
    cleanups.push(() => second.close());
    const told = (await second.handlers['sync.status']({})).cacheRecovery;
    expect(told).toMatchObject({ waitingDecisions: 1, decisionsDelivered: 0 });
    expect(told?.movedAsideAt).toBeTruthy();
    expect(readdirSync(join(deskDir.path, 'unreadable'))).toHaveLength(1);
    // Kept for an administrator with the old key, never deleted.
    const keep = makeTempDir('dermdesk-journal-copy-');
    cleanups.push(keep.remove);
    cpSync(join(deskDir.path, SEALED_DIR), join(keep.path, SEALED_DIR), { recursive: true });

    hub = await startTestHub(hubDir.path);
    await signIn(second, hub.url);
    const decided = await hub.admin.decisionsForCase(caseId!);
    expect(decided.map((d) => d.decision.id)).toEqual([decision.id]);
    expect(decided[0]?.decision).toEqual(decision);
    const after = (await second.handlers['sync.status']({})).cacheRecovery;
    expect(after).toMatchObject({ waiting: 0, waitingDecisions: 0, decisionsDelivered: 1, problem: null });
    // The lost cache's journal folder is gone; only the new cache's own journal is left.
    const remaining = readdirSync(join(deskDir.path, SEALED_DIR));
    expect(remaining).toHaveLength(1);
    expect(lostJournal.filter((d) => remaining.includes(d))).toEqual([]);
    expect(journalFiles(deskDir.path).some((f) => f.includes('decision~'))).toBe(false);
    // The signed-offline audit row reached the hub too.
    expect((await hub.admin.auditForCase(caseId!)).filter((e) => e.action === 'decision.signed')).toHaveLength(1);

    // Delivering the same entries again is a no-op: still one decision, answered as a duplicate.
    const again = join(deskDir.path, SEALED_DIR, 'replayed-lost-cache');
    mkdirSync(again);
    for (const f of journalFiles(keep.path)) if (f.includes('decision~')) cpSync(f, join(again, f.split('/').pop()!));
    const report = await second.sync.deliverSealed();
    expect(report).toMatchObject({ delivered: 1, decisionsDelivered: 1, rejected: 0, retry: 0 });
    expect((await hub.admin.decisionsForCase(caseId!)).map((d) => d.decision.id)).toEqual([decision.id]);
    expect(existsSync(again)).toBe(false);

    // The notice stays until the consultant dismisses it.
    expect((await second.handlers['sync.dismissCacheNotice']({})).cacheRecovery).toBeNull();
  });

  it('refuses hostile uploads: another consultant (403), garbage (400), no token (401); holds unconfirmed entries', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    cleanups.push(hubDir.remove);
    const hub = await startTestHub(hubDir.path);
    cleanups.push(() => hub.close());
    const me = await seedConsultant(hub);
    const other = await hub.admin.createUser({
      username: 'dr.other',
      password: 'another long password',
      displayName: 'Dr Other',
    });
    await hub.admin.createUser({ username: 'ops', password: 'operator password 1', displayName: 'Ops', role: 'admin' });
    const [caseId] = await seedCases(hub, 1, 1);
    const token = await login(hub.url, CONSULTANT);
    await hubJson(hub.url, '/batches/claim', { method: 'POST', token, body: JSON.stringify({ count: 1 }) });

    expect((await hubJson(hub.url, '/sealing-key')).status).toBe(401);
    const key = sealingKeyResponseSchema.parse((await hubJson(hub.url, '/sealing-key', { token })).body);
    const raw = Buffer.from(key.publicKey, 'base64');
    expect(keyIdOf(raw)).toBe(key.keyId);
    expect(() => publicKeyFromRaw(raw)).not.toThrow();
    const recipient = { raw, keyId: key.keyId };
    const box = (kind: string, refId: string, consultantId: string, payload: unknown): string =>
      seal(
        recipient,
        { kind, refId, consultantId, createdAt: new Date().toISOString() },
        { kind, refId, consultantId, payload },
      ).toString('base64');
    const post = (body: unknown, as = token) =>
      hubJson(hub.url, '/sealed-outbox', { method: 'POST', token: as, body: JSON.stringify(body) });

    // Garbage: not the schema, not base64, empty, not JSON.
    expect((await post({ entries: 'nope' })).status).toBe(400);
    expect((await post({ entries: [{ id: 'decision~x', state: 'sealed', box: '%%%' }] })).status).toBe(400);
    expect((await post({ entries: [] })).status).toBe(400);
    const notJson = await fetch(`${hub.url}${HUB_API_PREFIX}/sealed-outbox`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"entries": [',
    });
    expect(notJson.status).toBe(400);
    expect((await post({ entries: [{ id: 'audit~1', state: 'sealed', box: 'AAAA' }] }, 'x'.repeat(43))).status).toBe(
      401,
    );

    const theirs = {
      id: '11111111-2222-4333-8444-555555555555',
      caseId,
      caseVersion: 1,
      version: 1,
      supersedes: null,
      signedBy: { id: other.id, displayName: 'Dr Other' },
      signedAt: new Date().toISOString(),
      ...sampleDischarge(),
    };
    // Another consultant's entry, even beside one of mine, refuses the whole upload: nothing applied.
    const mineAudit = box('audit', '1', me.id, { seq: 1 });
    const refused = await post({
      entries: [
        { id: 'audit~1', state: 'sealed', box: mineAudit },
        { id: `decision~${theirs.id}`, state: 'sealed', box: box('decision', theirs.id, other.id, theirs) },
      ],
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden-entry' } });
    // Claiming to be me in the header while the decision is signed by someone else: refused too.
    const forged = await post({
      entries: [{ id: `decision~${theirs.id}`, state: 'sealed', box: box('decision', theirs.id, me.id, theirs) }],
    });
    expect(forged.status).toBe(403);
    expect(await hub.admin.decisionsForCase(caseId!)).toEqual([]);

    // An unconfirmed entry of mine is recorded for review, never applied; a tampered one is rejected.
    const mine = {
      ...theirs,
      id: '66666666-2222-4333-8444-555555555555',
      signedBy: { id: me.id, displayName: 'Dr Sync Test' },
    };
    const tampered = Buffer.from(box('decision', mine.id, me.id, mine), 'base64');
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] ?? 0) ^ 0xff;
    const held = await post({
      entries: [
        { id: `decision~${mine.id}`, state: 'unconfirmed', box: box('decision', mine.id, me.id, mine) },
        { id: 'decision~tampered', state: 'sealed', box: tampered.toString('base64') },
      ],
    });
    expect(held.status).toBe(200);
    expect(held.body['results']).toEqual([
      { id: `decision~${mine.id}`, outcome: 'needs-review', message: expect.stringContaining('not applied') },
      { id: 'decision~tampered', outcome: 'rejected', message: expect.stringContaining('altered') },
    ]);
    expect(await hub.admin.decisionsForCase(caseId!)).toEqual([]);
    const opsToken = await login(hub.url, { username: 'ops', password: 'operator password 1' });
    expect((await hubJson(hub.url, '/sealed-outbox/review', { token })).status).toBe(403);
    const review = await hubJson(hub.url, '/sealed-outbox/review', { token: opsToken });
    expect(review.body['entries']).toEqual([
      expect.objectContaining({ consultantId: me.id, kind: 'decision', refId: mine.id, outcome: 'unconfirmed' }),
    ]);
    // The same entry sealed (confirmed) is applied, once; again is a duplicate.
    const confirmed = {
      entries: [{ id: `decision~${mine.id}`, state: 'sealed', box: box('decision', mine.id, me.id, mine) }],
    };
    expect((await post(confirmed)).body['results']).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    expect((await post(confirmed)).body['results']).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    expect((await hub.admin.decisionsForCase(caseId!)).map((d) => d.decision.id)).toEqual([mine.id]);
  });

  it('keeps on disk, and explains, entries the hub cannot open (another hub key, damaged bytes)', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    const deskDir = makeTempDir('dermdesk-desk-');
    cleanups.push(hubDir.remove, deskDir.remove);
    const hub = await startTestHub(hubDir.path);
    cleanups.push(() => hub.close());
    const me = await seedConsultant(hub);
    const core = deskCore(deskDir.path, KEY_AFTER);
    cleanups.push(() => core.close());
    // A lost cache's journal: one entry sealed to some other hub's key, one damaged file.
    const lost = join(deskDir.path, SEALED_DIR, 'lost-cache');
    mkdirSync(lost, { recursive: true });
    const elsewhere = generateSealingKeyPair();
    const ref = '77777777-2222-4333-8444-555555555555';
    const header = { kind: 'decision', refId: ref, consultantId: me.id, createdAt: new Date().toISOString() };
    writeFileSync(
      join(lost, `decision~${ref}.sealed`),
      seal(elsewhere, header, { kind: 'decision', refId: ref, consultantId: me.id, payload: {} }),
    );
    writeFileSync(join(lost, 'audit~3.sealed'), Buffer.from('DDSEAL01 but then nothing sensible'));
    expect((await core.handlers['sync.status']({})).cacheRecovery).toMatchObject({ waiting: 2, waitingDecisions: 1 });

    await signIn(core, hub.url);
    const told = (await core.handlers['sync.status']({})).cacheRecovery;
    expect(told).toMatchObject({ waiting: 2, decisionsDelivered: 0 });
    expect(told?.problem).toMatch(/another hub key|truncated|not readable|not valid/);
    expect(readdirSync(lost).sort()).toEqual(['audit~3.sealed', `decision~${ref}.sealed`]);
  });
});
