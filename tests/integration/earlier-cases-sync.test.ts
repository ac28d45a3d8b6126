import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { createCore } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import type { CaseRecord, ImageKind } from '../../src/shared/domain/case';
import { TEST_CACHE_KEY } from '../support/cache-key';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { dermoscopyFixtures } from '../support/fixtures';
import { sampleCase, sampleDischarge, sampleNhsNumber } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { testClock } from '../support/test-clock';
import { CONSULTANT, openCore, seedConsultant, signIn } from './sync-support';

/**
 * Prior cases from the hub (issue 15), with the real hub on loopback and real workstation cores:
 * a colleague decides a patient's first referral on their own workstation; months later the same
 * patient is referred twice more. A consultant with an EMPTY cache claims the new referrals and
 * sees the earlier case, with the colleague's decision, beside them, and can open its photograph,
 * which crossed the network once although two cases cite it. Another patient's case links
 * nothing, another patient's photograph stays refused, and a malformed list from the hub is
 * refused with a clear warning while the case it came with is kept and the sync still counts.
 */
const clock = testClock();
const COLLEAGUE = {
  username: 'dr.earlier',
  password: 'an earlier colleague battery staple',
  displayName: 'Dr Ada Earlier',
};
const photos = dermoscopyFixtures().map((f) => readFileSync(f));
const patient = (seed: number): CaseRecord['patient'] => ({
  ...sampleCase().patient,
  nhsNumber: sampleNhsNumber(seed),
});
const PATIENT = patient(5_550_001);

let hub: RunningHub;
let proxy: FaultProxy;
let desk: Core;
const hubDir = makeTempDir('dermdesk-hub-');
const colleagueDir = makeTempDir('dermdesk-colleague-');
const deskDir = makeTempDir('dermdesk-desk-');
let earlier: CaseRecord;
let today: CaseRecord;
let todayAgain: CaseRecord;
let stranger: CaseRecord;
let strangersEarlier: CaseRecord;

async function refer(
  who: CaseRecord['patient'],
  receivedAt: string,
  photo: Buffer,
  complaint: string,
): Promise<CaseRecord> {
  const c = sampleCase({ patient: who, referral: { receivedAt, presentingComplaint: complaint } });
  return hub.admin.addCase({
    patient: c.patient,
    practice: c.practice,
    referral: c.referral,
    images: [{ bytes: photo, kind: 'dermoscopy' as ImageKind }],
  });
}

/** The colleague's own workstation claims what is in the pool and signs a discharge on each. */
async function colleagueDecidesThePool(signedAt: string): Promise<void> {
  const core = createCore({
    dataDir: colleagueDir.path,
    secrets: new MemorySecretStore(),
    settings: new ConfSettingsStore(colleagueDir.path),
    appVersion: '0.0.0-test',
    databaseKey: TEST_CACHE_KEY,
    sync: { autoStartOutbox: false, onImageStored: () => undefined },
  });
  try {
    const status = await core.handlers['sync.signIn']({ hubUrl: hub.url, ...COLLEAGUE });
    await core.handlers['sync.run']({ claim: 10 });
    const ids = (core.db.prepare('SELECT id FROM cases').all() as Array<{ id: string }>).map((r) => r.id);
    for (const caseId of ids)
      signDecision(core.db, { caseId, consultant: status.consultant!, content: sampleDischarge() }, new Date(signedAt));
    await core.handlers['sync.run']({ claim: 0 });
  } finally {
    core.close();
  }
}

beforeAll(async () => {
  hub = await startHub({
    dataDir: hubDir.path,
    port: 0,
    now: clock,
    loginLimits: { perUser: 1000, perIp: 1000, windowMinutes: 1 },
  });
  await seedConsultant(hub);
  await hub.admin.createUser({
    username: COLLEAGUE.username,
    password: COLLEAGUE.password,
    displayName: COLLEAGUE.displayName,
  });
  earlier = await refer(PATIENT, '2026-09-01T10:00:00.000Z', photos[0]!, 'Scaly patch on the left forearm');
  strangersEarlier = await refer(
    patient(5_550_002),
    '2026-09-02T10:00:00.000Z',
    photos[4]!,
    'Another patient, earlier',
  );
  await colleagueDecidesThePool('2026-09-03T11:15:00.000Z');
  today = await refer(PATIENT, '2026-11-27T10:00:00.000Z', photos[1]!, 'The patch on the left forearm is back');
  todayAgain = await refer(PATIENT, '2026-11-28T10:00:00.000Z', photos[2]!, 'A second patch nearby');
  stranger = await refer(patient(5_550_003), '2026-11-28T11:00:00.000Z', photos[3]!, 'A patient with no history');
  proxy = await startFaultProxy(hub.url);
  desk = openCore(deskDir.path);
  await signIn(desk, proxy.url);
});
afterAll(async () => {
  desk.close();
  await proxy.close();
  await hub.close();
  for (const d of [hubDir, colleagueDir, deskDir]) d.remove();
});

describe('earlier cases of the same patient, from the hub to an empty cache', () => {
  it('a claimed case carries the earlier case, its decision and its photograph; the photograph crosses once', async () => {
    expect(desk.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 0 });
    await desk.handlers['sync.run']({ claim: 10 });
    const cached = (desk.db.prepare('SELECT id FROM cases').all() as Array<{ id: string }>).map((r) => r.id).sort();
    expect(cached).toEqual([today.id, todayAgain.id, stranger.id].sort());
    expect(cached).not.toContain(earlier.id); // read-only beside the cases, never one of them

    const detail = await desk.handlers['case.get']({ caseId: today.id });
    // The hub's earlier case beside the patient's other referral this cache holds, newest first.
    expect(detail.priorCases.map((p) => [p.id, p.source])).toEqual([
      [todayAgain.id, 'cache'],
      [earlier.id, 'hub'],
    ]);
    expect(detail.priorCases.filter((p) => p.source === 'hub')).toEqual([
      {
        id: earlier.id,
        receivedAt: '2026-09-01T10:00:00.000Z',
        presentingComplaint: 'Scaly patch on the left forearm',
        state: null,
        source: 'hub',
        images: earlier.images,
        outcome: {
          kind: 'discharge',
          diagnosis: 'Seborrhoeic keratosis',
          signedAt: '2026-09-03T11:15:00.000Z',
          signedBy: COLLEAGUE.displayName,
          planSummary: `${sampleDischarge().plan.firstLine} ${sampleDischarge().plan.nextSteps}`,
        },
      },
    ]);
    // The later referral sees both earlier ones: the first from the hub, today's from this cache.
    const again = await desk.handlers['case.get']({ caseId: todayAgain.id });
    expect(again.priorCases.map((p) => [p.id, p.source])).toEqual([
      [today.id, 'cache'],
      [earlier.id, 'hub'],
    ]);

    // Its photograph is in the content-addressed store, verified and readable like any other.
    const sha = earlier.images[0]!.sha256;
    const read = await desk.readImage(sha, 'original');
    expect(read.ok && Buffer.compare(read.bytes, photos[0]!)).toBe(0);
    // Two cached cases cite it; it was downloaded once.
    const fetches = proxy.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/images/${sha}`));
    expect(fetches).toHaveLength(1);
  });

  it("another patient's case links nothing, and another patient's photograph stays refused", async () => {
    const detail = await desk.handlers['case.get']({ caseId: stranger.id });
    expect(detail.priorCases).toEqual([]);
    const login = await fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: CONSULTANT.username, password: CONSULTANT.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const get = (sha: string) =>
      fetch(`${hub.url}/api/v1/images/${sha}`, { headers: { authorization: `Bearer ${token}` } });
    const mine = await get(earlier.images[0]!.sha256);
    expect(mine.status).toBe(200);
    await mine.arrayBuffer();
    const refused = await get(strangersEarlier.images[0]!.sha256);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: { code: 'image-not-found', message: 'No such image in a case assigned to you.' },
    });
  });

  it('earlier images are read-only here: marks on them are refused by the core', async () => {
    const sha = earlier.images[0]!.sha256;
    await expect(
      Promise.resolve().then(() =>
        desk.handlers['annotations.save']({
          sha256: sha,
          doc: { schemaVersion: 1, shapes: [], calibration: null },
          expectedRevision: 0,
        }),
      ),
    ).rejects.toThrow(/earlier case the hub sent for comparison; it is read-only/);
  });

  it('a malformed earlierCases entry is a warning, not a failed sync: the case is kept, the sync counts', async () => {
    const late = await refer(PATIENT, '2026-11-29T09:00:00.000Z', photos[3]!, 'Third visit');
    proxy.setRule((r) =>
      r.path.endsWith(`/cases/${late.id}`)
        ? {
            kind: 'json',
            body: {
              ...late,
              earlierCases: [
                {
                  id: earlier.id,
                  receivedAt: 'yesterday',
                  referral: {},
                  decision: null,
                  images: [{ sha256: '../../etc' }],
                },
              ],
            },
          }
        : { kind: 'pass' },
    );
    const before = await desk.handlers['sync.status']({});
    let result;
    try {
      result = await desk.handlers['sync.run']({ claim: 10 });
    } finally {
      proxy.setRule(() => ({ kind: 'pass' }));
    }
    // Said in plain words, naming the case and the field; and the sync itself worked.
    expect(result.casesStored).toBeGreaterThanOrEqual(1);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings?.[0]).toContain(
      `The hub's earlier cases of this patient (case ${late.id}) do not match the API (earlierCases.0.receivedAt: `,
    );
    const after = await desk.handlers['sync.status']({});
    expect(after.lastSyncedAt).not.toBeNull();
    expect(after.lastSyncedAt).not.toBe(before.lastSyncedAt);
    expect(after.lastError).toBeNull();
    const kept = await desk.handlers['case.get']({ caseId: late.id });
    expect(kept.record.id).toBe(late.id);
    // Only what this cache itself holds of the patient (the two earlier referrals it claimed).
    expect(kept.priorCases.map((p) => [p.id, p.source])).toEqual([
      [todayAgain.id, 'cache'],
      [today.id, 'cache'],
    ]);
    expect(desk.db.prepare('SELECT COUNT(*) AS n FROM earlier_cases WHERE case_id = ?').get(late.id)).toEqual({ n: 0 });
    // Nothing of the refused list was fetched: the image it named is not asked for.
    expect(proxy.requests.some((r) => r.path.includes('/images/..'))).toBe(false);
  });
});
