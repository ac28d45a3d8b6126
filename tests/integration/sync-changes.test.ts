import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { SyncKv } from '../../src/main/core/db/sync-kv';
import { applyChanges } from '../../src/main/core/sync/apply-changes';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { caseStates, openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * The changes feed from the real hub: withdrawn, updated and reassigned cases, with and without
 * a decision the hub has not accepted yet. A decision is never dropped by a change.
 */
let hub: RunningHub;
let core: Core;
let consultant: { id: string; displayName: string };
let ids: string[];
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, 6, 1);
  core = openCore(deskDir.path);
  consultant = await signIn(core, hub.url);
  await core.handlers['sync.run']({ claim: 6 });
  ids = Object.keys(caseStates(core)).sort();
});
afterAll(async () => {
  core.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

const decide = (caseId: string): string =>
  signDecision(core.db, { caseId, content: sampleDischarge(), consultant }, new Date()).id;
const caseRow = (id: string): { state: string; state_note: string | null; hub_version: number } | undefined =>
  core.db.prepare('SELECT state, state_note, hub_version FROM cases WHERE id = ?').get(id) as
    { state: string; state_note: string | null; hub_version: number } | undefined;

describe('changes feed', () => {
  it('withdrawn: the case stays, marked withdrawn with a visible note', async () => {
    const id = ids[0] as string;
    await hub.admin.withdrawCase(id);
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow(id)).toMatchObject({ state: 'withdrawn', state_note: 'The referrer withdrew this case.' });
  });

  it('updated with no decision: the record is refreshed to the new version', async () => {
    const id = ids[1] as string;
    await hub.admin.updateCase(id, { referral: { history: 'Now also on the right shin' } });
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow(id)?.hub_version).toBe(2);
    expect(core.cases.get(id)?.referral.history).toBe('Now also on the right shin');
    expect(caseRow(id)?.state).toBe('new');
  });

  it('updated after a decision on the old version: the decision goes to needs review, never lost', async () => {
    const id = ids[2] as string;
    const decisionId = decide(id);
    await hub.admin.updateCase(id, { referral: { history: 'Biopsy result attached' } });
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow(id)?.state).toBe('needs-review');
    expect(core.cases.get(id)?.version).toBe(2);
    const issue = core.sync.status().issues.find((i) => i.decisionId === decisionId);
    expect(issue?.state).toBe('needs-review');
    expect(await hub.admin.decisionsForCase(id)).toEqual([]);
  });

  it('reassigned with no decision: the case leaves the worklist cleanly', async () => {
    const id = ids[3] as string;
    await hub.admin.reassignCase(id, null);
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow(id)).toBeUndefined();
    expect((await core.handlers['worklist.list']({ limit: 50, offset: 0 })).cases.map((c) => c.id)).not.toContain(id);
  });

  it('reassigned with an unsynced decision: kept, needs review', async () => {
    const id = ids[4] as string;
    const decisionId = decide(id);
    await hub.admin.reassignCase(id, null);
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow(id)?.state).toBe('needs-review');
    expect(core.sync.status().issues.map((i) => i.decisionId)).toContain(decisionId);
  });

  it('the cursor is persisted: replaying the sync applies nothing twice', async () => {
    const before = JSON.stringify(caseStates(core));
    const again = await core.handlers['sync.run']({ claim: 0 });
    expect(again.changesApplied).toBe(0);
    expect(JSON.stringify(caseStates(core))).toBe(before);
  });
});

describe('changes feed with nothing new', () => {
  it('is read without writing the cursor again (no transaction to commit at the end of every sync)', async () => {
    await core.handlers['sync.run']({ claim: 0 });
    const client = await core.sync.client();
    if (!client) throw new Error('not signed in');
    // Counts every write of the cursor row (an upsert fires the insert or the update trigger).
    core.db.exec(`CREATE TEMP TABLE cursor_writes (n INTEGER);
      CREATE TEMP TRIGGER cursor_updated AFTER UPDATE ON main.kv WHEN new.key = 'sync.cursor'
        BEGIN INSERT INTO cursor_writes VALUES (1); END;
      CREATE TEMP TRIGGER cursor_inserted AFTER INSERT ON main.kv WHEN new.key = 'sync.cursor'
        BEGIN INSERT INTO cursor_writes VALUES (1); END;`);
    const kv = new SyncKv(core.db);
    const cursor = kv.cursor();
    const refreshed: string[] = [];
    const applied = await applyChanges({
      db: core.db,
      cases: core.cases,
      kv,
      client,
      refresh: async (caseId) => void refreshed.push(caseId),
    });
    const writes = (core.db.prepare('SELECT COUNT(*) AS n FROM cursor_writes').get() as { n: number }).n;
    core.db.exec('DROP TRIGGER cursor_updated; DROP TRIGGER cursor_inserted; DROP TABLE cursor_writes;');
    expect({ applied, refreshed, cursor: kv.cursor(), writes }).toEqual({
      applied: 0,
      refreshed: [],
      cursor,
      writes: 0,
    });
  });
});
