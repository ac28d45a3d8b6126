import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { caseStates, openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * The whole walk against the real hub on loopback: claim, download, decide with the hub down,
 * restart the hub on the same data, sync back: every decision on the hub exactly once.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('sync: the whole walk', () => {
  it('claims, caches, decides offline and syncs back exactly once', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    const deskDir = makeTempDir('dermdesk-desk-');
    cleanups.push(hubDir.remove, deskDir.remove);
    let hub: RunningHub = await startTestHub(hubDir.path);
    cleanups.push(() => hub.close());
    await seedConsultant(hub);
    const ids = await seedCases(hub, 3, 2);
    const secrets = new MemorySecretStore();
    const core: Core = openCore(deskDir.path, secrets, { derive: true });
    cleanups.push(() => core.close());

    const consultant = await signIn(core, hub.url);
    expect(consultant.displayName).toBe('Dr Sync Test');
    // The token lives only in the secret store: not in settings, not in the database.
    const token = await secrets.get('hub-token');
    expect(token).toBeTruthy();
    expect(filesContaining(deskDir.path, token ?? '')).toEqual([]);

    const progress: Array<{ casesDone: number; bytesDone: number; bytesTotal: number }> = [];
    core.events.subscribe((name, payload) => {
      if (name === 'sync.progress') progress.push(payload as (typeof progress)[number]);
    });
    const first = await core.handlers['sync.run']({ claim: 3 });
    expect(first).toMatchObject({ claimed: 3, casesStored: 3 });
    expect(Object.keys(caseStates(core)).sort()).toEqual([...ids].sort());
    const last = progress.at(-1);
    expect(last?.casesDone).toBe(3);
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    // Every manifest image is on disk (encrypted) under its own hash, and its bytes hash to it.
    for (const id of ids) {
      for (const img of core.cases.get(id)?.images ?? []) {
        expect(existsSync(core.sync.images.originalPath(img.sha256))).toBe(true);
        const stored = await core.readImage(img.sha256, 'original');
        expect(stored.ok && createHash('sha256').update(stored.bytes).digest('hex')).toBe(img.sha256);
      }
    }

    // Each stored original was handed to the viewer's derivative queue.
    await core.derivatives.idle();
    const firstImage = core.cases.get(ids[0] as string)?.images[0];
    expect(core.derivatives.status(firstImage?.sha256 ?? '').state).toBe('ready');

    // The hub goes away; the consultant keeps working from the cache.
    const port = Number(new URL(hub.url).port);
    await hub.close();
    const [a, b] = ids as [string, string];
    const now = new Date();
    const d1 = signDecision(core.db, { caseId: a, content: sampleDischarge(), consultant }, now);
    const d2 = signDecision(core.db, { caseId: b, content: sampleDischarge(), consultant }, now);
    await expect(core.handlers['sync.run']({ claim: 0 })).rejects.toThrow(/local cache is still usable/);
    expect(core.sync.status()).toMatchObject({ state: 'offline', pendingDecisions: 2 });
    expect(await core.handlers['worklist.list']({ limit: 10, offset: 0 })).toMatchObject({ total: 3 });

    // The hub comes back on the same data; the decisions flow back, once each.
    hub = await startTestHub(hubDir.path, port);
    const back = await core.handlers['sync.run']({ claim: 0 });
    expect(back.decisionsSent).toBe(2);
    await core.handlers['sync.run']({ claim: 0 });
    expect((await hub.admin.decisionsForCase(a)).map((d) => d.decision.id)).toEqual([d1.id]);
    expect((await hub.admin.decisionsForCase(b)).map((d) => d.decision.id)).toEqual([d2.id]);
    expect(caseStates(core)[a]).toBe('synced');
    // The audit rows written with each signature went through the outbox too, once each.
    const audit = await hub.admin.auditForCase(a);
    expect(audit.filter((e) => e.action === 'decision.signed')).toHaveLength(1);
    expect(core.db.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()).toEqual({ n: 0 });
    expect(core.sync.status()).toMatchObject({ state: 'idle', pendingDecisions: 0, issues: [] });
    expect(core.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'decision'`).get()).toEqual({ n: 0 });
  });
});

/** Every file under `dir` (settings, SQLite file, WAL, images) whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(Buffer.from(needle))) hits.push(path);
  }
  return hits;
}
