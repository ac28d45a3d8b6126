import { afterEach, describe, expect, it } from 'vitest';
import { startHub } from '../../src/hub/start-hub';
import type { ReferralPriority } from '../../src/shared/domain/case';
import {
  assignedResponseSchema,
  changesResponseSchema,
  claimResponseSchema,
} from '../../src/shared/hub-api/consultant-api';
import { hubFetch, manualClock, startTestHub, testCaseInput, type TestHub } from '../support/hub-fixture';
import { spawnHubProcess } from '../support/hub-process';
import { daysBeforeTestStart, testClock } from '../support/test-clock';

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

async function claim(url: string, token: string, count: number) {
  const res = await hubFetch(url, token, '/batches/claim', { body: { count } });
  expect(res.status).toBe(200);
  return claimResponseSchema.parse(await res.json());
}

// Due dates (and so the claim order) depend on weekends and bank holidays: the hub runs on the
// tests' fixed Monday and the referrals are dated from it.
const daysAgo = (d: number) => daysBeforeTestStart(d);

describe('claiming batches', () => {
  it('hands out the most urgent cases first, then the earliest due', async () => {
    hub = await startTestHub({ now: testClock() });
    const add = async (i: number, priority: ReferralPriority, receivedDaysAgo: number) => {
      const input = testCaseInput(i, daysAgo(receivedDaysAgo));
      return hub!.hub.admin.addCase({ ...input, referral: { ...input.referral, priority } });
    };
    const routineOld = await add(0, 'routine', 10);
    const scRecent = await add(1, 'suspected-cancer', 1);
    const urgent = await add(2, 'urgent', 5);
    const scOlder = await add(3, 'suspected-cancer', 4);
    const routineNew = await add(4, 'routine', 0);
    const token = await hub.login();
    const first = await claim(hub.url, token, 3);
    expect(first.cases.map((c) => c.id)).toEqual([scOlder.id, scRecent.id, urgent.id]);
    expect(first.cases.every((c) => c.version === 1)).toBe(true);
    const second = await claim(hub.url, token, 5);
    expect(second.cases.map((c) => c.id)).toEqual([routineOld.id, routineNew.id]);
    expect(await claim(hub.url, token, 5)).toMatchObject({ cases: [] });
    const assigned = assignedResponseSchema.parse(await (await hubFetch(hub.url, token, '/assigned')).json());
    expect(assigned.cases.map((c) => c.id)).toEqual([scOlder.id, scRecent.id, urgent.id, routineOld.id, routineNew.id]);
  });

  it('refuses bad claim sizes with a field-level 400', async () => {
    hub = await startTestHub();
    const token = await hub.login();
    for (const body of [{ count: 0 }, { count: 101 }, { count: 1.5 }, { count: '3' }, {}, []]) {
      const res = await hubFetch(hub.url, token, '/batches/claim', { body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-request');
    }
  });

  it('20 parallel claimers on two hub instances sharing one data dir: no case is leased twice', async () => {
    hub = await startTestHub({ cases: 50 });
    const second = await startHub({ dataDir: hub.dataDir });
    try {
      const consultants = await Promise.all(Array.from({ length: 20 }, () => hub!.addConsultant()));
      const tokens = await Promise.all(consultants.map((c) => hub!.login(c)));
      const results = await Promise.all(
        tokens.map((t, i) =>
          claim(i % 2 === 0 ? hub!.url : second.url, t, 3).then((r) => ({
            who: consultants[i]!.id,
            ids: r.cases.map((c) => c.id),
          })),
        ),
      );
      const all = results.flatMap((r) => r.ids);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(50);
      for (const r of results) {
        for (const id of r.ids) expect((await hub.hub.admin.caseState(id))?.assignedTo).toBe(r.who);
      }
    } finally {
      await second.close();
    }
  });

  it('20 parallel claimers split between this hub and a second hub OS process (the CLI) on the same data dir', async () => {
    hub = await startTestHub({ cases: 40 });
    const other = await spawnHubProcess(hub.dataDir);
    try {
      expect(other.output()).toContain('DermDesk referral hub listening on');
      const consultants = await Promise.all(Array.from({ length: 20 }, () => hub!.addConsultant()));
      const tokens = await Promise.all(consultants.map((c) => hub!.login(c)));
      const results = await Promise.all(tokens.map((t, i) => claim(i % 2 === 0 ? hub!.url : other.url, t, 2)));
      const all = results.flatMap((r) => r.cases.map((c) => c.id));
      expect(all.length).toBe(40);
      expect(new Set(all).size).toBe(40);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });

  it('a lease that lapses returns its cases to the pool and tells the old holder', async () => {
    const clock = manualClock();
    hub = await startTestHub({ cases: 3, now: clock.now, leaseMinutes: 60, tokenTtlMinutes: 24 * 60 });
    const token = await hub.login();
    const batch = await claim(hub.url, token, 2);
    expect(Date.parse(batch.leaseExpiresAt) - clock.now().getTime()).toBe(60 * 60_000);
    clock.advanceMinutes(59);
    expect(assignedResponseSchema.parse(await (await hubFetch(hub.url, token, '/assigned')).json()).cases).toHaveLength(
      2,
    );
    clock.advanceMinutes(2);
    expect(assignedResponseSchema.parse(await (await hubFetch(hub.url, token, '/assigned')).json()).cases).toHaveLength(
      0,
    );
    const feed = changesResponseSchema.parse(await (await hubFetch(hub.url, token, '/changes?after=0')).json());
    expect(feed.changes.map((c) => [c.caseId, c.kind]).sort()).toEqual(
      batch.cases.map((c) => [c.id, 'reassigned']).sort(),
    );
    expect((await hubFetch(hub.url, token, `/cases/${batch.cases[0]!.id}`)).status).toBe(409);
    const other = await hub.addConsultant();
    const theirs = await claim(hub.url, await hub.login(other), 5);
    expect(theirs.cases.map((c) => c.id).sort()).toEqual(hub.cases.map((c) => c.id).sort());
  });

  it('pass-on hands a case back to the pool (never offered to the same consultant) or to a named colleague', async () => {
    hub = await startTestHub({ cases: 2 });
    const token = await hub.login();
    const [a, b] = (await claim(hub.url, token, 2)).cases;
    const back = await hubFetch(hub.url, token, `/cases/${a!.id}/pass-on`, {
      body: { note: 'Needs paediatric dermatology', toSubspecialty: 'paediatric' },
    });
    expect(back.status).toBe(200);
    const backFirst = (await back.json()) as { passedOnAt: string };
    expect(backFirst).toMatchObject({ caseId: a!.id, to: 'pool' });
    // A resend (the answer was lost) is answered as the first time; a different hand-over is refused.
    const backJson = (await (
      await hubFetch(hub.url, token, `/cases/${a!.id}/pass-on`, {
        body: { note: 'Needs paediatric dermatology', toSubspecialty: 'paediatric' },
      })
    ).json()) as { passedOnAt: string };
    expect(backJson).toEqual(backFirst);
    const different = await hubFetch(hub.url, token, `/cases/${a!.id}/pass-on`, { body: { note: 'Other reason' } });
    expect(different.status).toBe(409);
    expect((await claim(hub.url, token, 5)).cases).toEqual([]);
    const colleague = await hub.addConsultant();
    const colleagueToken = await hub.login(colleague);
    const toColleague = await hubFetch(hub.url, token, `/cases/${b!.id}/pass-on`, {
      body: { note: 'Your area', toConsultant: colleague.id },
    });
    expect(toColleague.status).toBe(200);
    const theirs = assignedResponseSchema.parse(await (await hubFetch(hub.url, colleagueToken, '/assigned')).json());
    expect(theirs.cases.map((c) => c.id)).toEqual([b!.id]);
    expect((await claim(hub.url, colleagueToken, 5)).cases.map((c) => c.id)).toEqual([a!.id]);
    // Passing on what is no longer yours, to nobody sensible, or with both targets, is refused.
    expect((await hubFetch(hub.url, token, `/cases/${b!.id}/pass-on`, { body: { note: 'again' } })).status).toBe(409);
    const both = await hubFetch(hub.url, colleagueToken, `/cases/${b!.id}/pass-on`, {
      body: { note: 'x', toConsultant: 'a', toSubspecialty: 'b' },
    });
    expect(both.status).toBe(400);
    const nobody = await hubFetch(hub.url, colleagueToken, `/cases/${b!.id}/pass-on`, {
      body: { note: 'x', toConsultant: 'no-such-user' },
    });
    expect(nobody.status).toBe(400);
    expect(((await nobody.json()) as { error: { field: string } }).error.field).toBe('toConsultant');
  });
});
