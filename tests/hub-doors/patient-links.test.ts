import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema, linkInfoSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import {
  addPractice,
  consultantDecides,
  fixtureBase64,
  practiceLogin,
  sampleSubmission,
} from '../support/doors-fixture';
import { sampleDischarge } from '../support/sample-case';
import { startTestHub, type TestHub } from '../support/hub-fixture';

let hub: TestHub;
let practiceToken: string;
let practice: Awaited<ReturnType<typeof addPractice>>;
let clock = new Date('2026-11-23T10:00:00.000Z');

beforeAll(async () => {
  hub = await startTestHub({
    now: () => clock,
    doors: { patientLinkLimits: { requests: 60, failures: 5, windowMs: 15 * 60_000 } },
  });
  practice = await addPractice(hub);
  practiceToken = await practiceLogin(hub, practice);
});
afterAll(async () => hub.close());

const api = (path: string, init: { json?: unknown; token?: string; ip?: string } = {}) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: init.json !== undefined ? 'POST' : 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

async function newLink(days?: number) {
  const s = sampleSubmission(21);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  // The clock moves in these tests: sign in afresh so the practice's session is current.
  practiceToken = await practiceLogin(hub, practice);
  const res = await api('/practice/patient-links', {
    token: practiceToken,
    json: {
      kind: 'new-referral',
      draft: { patient: s.patient, clinician: s.clinician, referral },
      ...(days ? { days } : {}),
    },
  });
  expect(res.status).toBe(201);
  return { link: createLinkResponseSchema.parse(await res.json()), patient: s.patient };
}

const submission = (dateOfBirth: string) => ({
  consent: true,
  dateOfBirth,
  symptoms: 'It itches at night.',
  images: [
    { kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) },
    { kind: 'close-up', mediaType: 'image/jpeg', data: fixtureBase64(1) },
  ],
});

describe('patient remote links', () => {
  it('a link is unguessable, works once, records consent and becomes a case in the practice inbox', async () => {
    const { link, patient } = await newLink();
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(link.expiresAt).getTime() - clock.getTime()).toBe(7 * 86_400_000);
    // The hub keeps only the token's hash: the token itself is nowhere in the database files.
    expect(await hub.hub.admin.doorAuditFor(link.linkId)).toHaveLength(1);
    for (const file of readdirSync(hub.dataDir).filter((f) => f.startsWith('hub.sqlite')))
      expect(readFileSync(join(hub.dataDir, file)).includes(link.token)).toBe(false);

    const info = linkInfoSchema.parse(await (await api(`/patient-links/${link.token}`)).json());
    expect(info).toMatchObject({
      kind: 'new-referral',
      givenName: 'Grace',
      practiceName: 'Riverside Medical Practice',
    });

    const noConsent = await api(`/patient-links/${link.token}/submit`, {
      json: { ...submission(patient.dateOfBirth), consent: false },
    });
    expect(noConsent.status).toBe(422);
    expect(JSON.stringify(await noConsent.json())).toContain('"field":"consent"');
    const wrongDob = await api(`/patient-links/${link.token}/submit`, { json: submission('1990-01-01') });
    expect(wrongDob.status).toBe(422);

    const ok = await api(`/patient-links/${link.token}/submit`, { json: submission(patient.dateOfBirth) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, imageCount: 2 });

    const reused = await api(`/patient-links/${link.token}/submit`, { json: submission(patient.dateOfBirth) });
    expect(reused.status).toBe(410);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('link-used');
    const page = await fetch(`${hub.url}/p/${link.token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link has already been used');

    const items = inboxResponseSchema.parse(
      await (await api('/practice/inbox', { token: practiceToken })).json(),
    ).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.patient.nhsNumber).toBe(patient.nhsNumber);

    const trail = (await hub.hub.admin.doorAuditFor(link.linkId)).map((a) => a.action);
    expect(trail).toEqual(
      expect.arrayContaining(['patient-link.created', 'patient-link.submitted', 'patient-link.refused']),
    );
  });

  it('an expired link is refused, on the page and the API', async () => {
    const { link, patient } = await newLink(1);
    clock = new Date(clock.getTime() + 86_400_000 + 1000);
    const res = await api(`/patient-links/${link.token}/submit`, { json: submission(patient.dateOfBirth) });
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('link-expired');
    const page = await fetch(`${hub.url}/p/${link.token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link has expired');
  });

  it('guessing tokens is rate limited per address and audited', async () => {
    clock = new Date(clock.getTime() + 60 * 60_000); // a fresh window
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const guess = `${'A'.repeat(42)}${i}`;
      statuses.push((await api(`/patient-links/${guess}`)).status);
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even a real token is refused from that address until the window passes.
    const { link } = await newLink();
    const blocked = await api(`/patient-links/${link.token}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await api(`/patient-links/${link.token}`)).status).toBe(200);
  });

  it('refuses hostile tokens without reflecting them', async () => {
    clock = new Date(clock.getTime() + 60 * 60_000);
    for (const hostile of ['..%2F..%2Fetc%2Fpasswd', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', "'%20OR%201=1--"]) {
      const res = await fetch(`${hub.url}/p/${hostile}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('This link is not valid');
      expect(html).not.toContain('<script>alert');
    }
    // Past Fastify's parameter length the router itself refuses (414), before any lookup.
    expect((await fetch(`${hub.url}/p/${'x'.repeat(500)}`)).status).toBe(414);
  });

  it('two submits racing on one link: exactly one lands, one case is created', async () => {
    clock = new Date(clock.getTime() + 60 * 60_000);
    const { link, patient } = await newLink();
    const before = inboxResponseSchema.parse(await (await api('/practice/inbox', { token: practiceToken })).json())
      .items.length;
    const results = await Promise.all(
      [1, 2, 3].map(() => api(`/patient-links/${link.token}/submit`, { json: submission(patient.dateOfBirth) })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    const after = inboxResponseSchema.parse(await (await api('/practice/inbox', { token: practiceToken })).json()).items
      .length;
    expect(after).toBe(before + 1);
  });

  it('a more-information link lets the patient answer on the same case, which returns to the consultant', async () => {
    clock = new Date(clock.getTime() + 60 * 60_000);
    practiceToken = await practiceLogin(hub, practice);
    const s = sampleSubmission(22, 1);
    const referred = await api('/intake/referrals', { token: practiceToken, json: s });
    const { caseId } = (await referred.json()) as { caseId: string };
    const consultantToken = await hub.login();
    await consultantDecides(hub, consultantToken, caseId, {
      ...sampleDischarge(),
      outcome: { kind: 'more-information', requests: ['scale'], detail: 'A photo with a ruler, please.' },
    });
    const created = await api('/practice/patient-links', {
      token: practiceToken,
      json: { kind: 'more-information', caseId },
    });
    expect(created.status).toBe(201);
    const link = createLinkResponseSchema.parse(await created.json());
    const info = linkInfoSchema.parse(await (await api(`/patient-links/${link.token}`)).json());
    expect(info).toMatchObject({
      kind: 'more-information',
      requests: ['scale'],
      requestDetail: 'A photo with a ruler, please.',
    });
    const sent = await api(`/patient-links/${link.token}/submit`, {
      json: {
        consent: true,
        dateOfBirth: s.patient.dateOfBirth,
        symptoms: 'Ruler next to it.',
        images: [{ kind: 'close-up', mediaType: 'image/jpeg', data: fixtureBase64(4) }],
      },
    });
    expect(sent.status).toBe(200);
    const kase = (await (await api(`/cases/${caseId}`, { token: consultantToken })).json()) as {
      version: number;
      images: unknown[];
      referral: { history: string };
    };
    expect(kase.version).toBe(2);
    expect(kase.images).toHaveLength(2);
    expect(kase.referral.history).toContain('from the patient] Ruler next to it.');
    // A second link for the now-answered case is refused.
    const again = await api('/practice/patient-links', {
      token: practiceToken,
      json: { kind: 'more-information', caseId },
    });
    expect(again.status).toBe(409);
  });
});
