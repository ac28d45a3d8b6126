import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX, claimResponseSchema } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { addPractice, fixtureBase64, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, testCaseInput, type TestConsultant, type TestHub } from '../support/hub-fixture';
import { spawnHubProcess, type HubProcess } from '../support/hub-process';
import { sampleDischarge } from '../support/sample-case';
import { createTestDatabase } from '../support/test-postgres';

/**
 * Several hub processes on ONE PostgreSQL database, as a region runs them behind a proxy: four
 * hub OS processes (the real CLI with --database-url), plus this test's own hub for the operator's
 * side. Nothing that matters may live in one process's memory: leases, one-time links,
 * idempotency records, rate limits and the sealing key are rows.
 */
let admin: TestHub;
let hubs: HubProcess[] = [];
const CASES = 150;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  admin = await startTestHub({ databaseUrl });
  hubs = await Promise.all(
    Array.from({ length: 4 }, () => spawnHubProcess(admin.dataDir, ['--database-url', databaseUrl])),
  );
  const receivedAt = new Date().toISOString();
  for (let i = 0; i < CASES; i++) await admin.hub.admin.addCase({ ...testCaseInput(i, receivedAt), images: [] });
}, 300_000);

afterAll(async () => {
  for (const h of hubs) expect(await h.stop()).toBe(0);
  await admin?.close();
});

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function login(base: string, who: TestConsultant): Promise<string> {
  const res = await post(base, '/auth/login', { username: who.username, password: who.password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('four hub processes on one PostgreSQL database', () => {
  it('100 claimers (25 per process) never get one case twice, and the whole pool is handed out', async () => {
    const consultants = await Promise.all(Array.from({ length: 20 }, () => admin.addConsultant()));
    const tokens = await Promise.all(consultants.map((c, i) => login(hubs[i % 4]!.url, c)));
    // 100 claimers: each consultant claims 5 times at once, through four different processes.
    const claims = await Promise.all(
      Array.from({ length: 100 }, async (_, k) => {
        const c = k % 20;
        const res = await post(
          hubs[k % 4]!.url,
          '/batches/claim',
          { count: 2 },
          { authorization: `Bearer ${tokens[c]}` },
        );
        expect(res.status).toBe(200);
        return { who: consultants[c]!.id, ids: claimResponseSchema.parse(await res.json()).cases.map((x) => x.id) };
      }),
    );
    const all = claims.flatMap((r) => r.ids);
    expect(all).toHaveLength(CASES);
    expect(new Set(all).size).toBe(CASES);
    for (const r of claims)
      for (const id of r.ids) expect((await admin.hub.admin.caseState(id))?.assignedTo).toBe(r.who);
  });

  it('one patient link submitted to two processes at once gives exactly one case', async () => {
    const practice = await addPractice(admin, 'Y01234', 'Hillside Surgery');
    const token = await practiceLogin(admin, practice);
    const s = sampleSubmission(31);
    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const created = await post(
      hubs[0]!.url,
      '/practice/patient-links',
      { kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } },
      { authorization: `Bearer ${token}` },
    );
    expect(created.status).toBe(201);
    const link = createLinkResponseSchema.parse(await created.json());
    const submission = {
      consent: true,
      dateOfBirth: s.patient.dateOfBirth,
      symptoms: 'Itchy at night.',
      images: [
        { kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) },
        { kind: 'close-up', mediaType: 'image/jpeg', data: fixtureBase64(1) },
      ],
    };
    const [a, b] = await Promise.all(
      [hubs[1]!, hubs[2]!].map((h) => post(h.url, `/patient-links/${link.token}/submit`, submission)),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 410]);
    const inbox = await fetch(`${hubs[3]!.url}${HUB_API_PREFIX}/practice/inbox`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const items = inboxResponseSchema.parse(await inbox.json()).items;
    expect(items.filter((i) => i.patient.nhsNumber === s.patient.nhsNumber)).toHaveLength(1);
  });

  it('the same Idempotency-Key sent to two processes at once records one decision', async () => {
    const me = await admin.addConsultant();
    const [kase] = await admin.addCases(1);
    const token = await login(hubs[0]!.url, me);
    const claimed = await post(hubs[0]!.url, '/batches/claim', { count: 20 }, { authorization: `Bearer ${token}` });
    expect(claimResponseSchema.parse(await claimed.json()).cases.map((c) => c.id)).toContain(kase!.id);
    const decisionId = randomUUID();
    const decision = {
      ...sampleDischarge(),
      id: decisionId,
      caseId: kase!.id,
      caseVersion: 1,
      version: 1,
      supersedes: null,
      signedBy: { id: me.id, displayName: me.displayName },
      signedAt: new Date().toISOString(),
    };
    const put = (base: string) =>
      fetch(`${base}${HUB_API_PREFIX}/cases/${kase!.id}/decisions/${decisionId}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': decisionId,
          'if-match': '"1"',
        },
        body: JSON.stringify(decision),
      });
    // Until both have an answer: a 409 request-in-flight is retried, as the workstation's outbox does.
    const settle = async (base: string): Promise<{ status: number; body: string }> => {
      for (;;) {
        const res = await put(base);
        const body = await res.text();
        if (res.status !== 409) return { status: res.status, body };
        expect(body).toContain('request-in-flight');
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const [first, second] = await Promise.all([settle(hubs[1]!.url), settle(hubs[2]!.url)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(JSON.parse(first.body)).toEqual(JSON.parse(second.body));
    expect(await admin.hub.admin.decisionsForCase(kase!.id)).toHaveLength(1);
  });

  it('sign-in limits hold across processes: ten wrong guesses spread over four processes, five refused', async () => {
    const victim = await admin.addConsultant();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(hubs[i % 4]!.url, '/auth/login', { username: victim.username, password: `guess-${i}` }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('every process serves the same sealing key (kept in the database, not a process file)', async () => {
    const me = await admin.addConsultant();
    const keys = await Promise.all(
      hubs.map(async (h) => {
        const res = await fetch(`${h.url}${HUB_API_PREFIX}/sealing-key`, {
          headers: { authorization: `Bearer ${await login(h.url, me)}` },
        });
        return ((await res.json()) as { publicKey: string }).publicKey;
      }),
    );
    expect(keys[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(new Set(keys).size).toBe(1);
  });
});
