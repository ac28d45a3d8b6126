import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import { HUB_API_PREFIX, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { addPractice, fixtureBase64, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';

/**
 * Guessing a patient's date of birth on their one-time link. The per-address rate limit allows
 * 120 requests per 15 minutes, so before this the 16th try (15 wrong, then the right date)
 * opened the link. Now wrong answers are counted per link, in the store: 5 lock the link for
 * good, whatever address or hub process they come from, and the practice's inbox says so.
 */

const clock = new Date('2026-11-23T10:00:00.000Z');
let hub: TestHub;
let second: RunningHub | null = null;
let practiceToken: string;

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  practiceToken = await practiceLogin(hub, await addPractice(hub));
});
afterAll(async () => {
  await second?.close();
  await hub.close();
});

const post = (base: string, path: string, body: unknown, token?: string) =>
  fetch(`${base}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

async function newLink(seed: number) {
  const s = sampleSubmission(seed);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  const res = await post(
    hub.url,
    '/practice/patient-links',
    { kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } },
    practiceToken,
  );
  expect(res.status).toBe(201);
  return { link: createLinkResponseSchema.parse(await res.json()), patient: s.patient };
}

const submission = (dateOfBirth: string) => ({
  consent: true,
  dateOfBirth,
  symptoms: 'It itches at night.',
  images: [{ kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) }],
});

describe('wrong dates of birth on a patient link', () => {
  it('sends: 5 wrong dates of birth, then the right one; must: 422 with tries left, then 403 link-locked (the right date too), the practice told', async () => {
    const { link, patient } = await newLink(41);
    const wrong = ['1970-01-01', '1970-01-02', '1970-01-03', '1970-01-04'];
    for (const [i, dob] of wrong.entries()) {
      const res = await post(hub.url, `/patient-links/${link.token}/submit`, submission(dob));
      expect(res.status).toBe(422);
      const error = hubErrorSchema.parse(await res.json()).error;
      expect(error.field).toBe('dateOfBirth');
      expect(error.message).toContain(`${4 - i} ${4 - i === 1 ? 'try' : 'tries'} left`);
    }
    const fifth = await post(hub.url, `/patient-links/${link.token}/submit`, submission('1970-01-05'));
    expect(fifth.status).toBe(403);
    expect(hubErrorSchema.parse(await fifth.json()).error.code).toBe('link-locked');

    const right = await post(hub.url, `/patient-links/${link.token}/submit`, submission(patient.dateOfBirth));
    expect(right.status).toBe(403);
    expect(hubErrorSchema.parse(await right.json()).error.code).toBe('link-locked');
    // The page says so in words, not a form.
    const page = await fetch(`${hub.url}/p/${link.token}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('This link has been locked');

    const inbox = inboxResponseSchema.parse(
      await (
        await fetch(`${hub.url}${HUB_API_PREFIX}/practice/inbox`, {
          headers: { authorization: `Bearer ${practiceToken}` },
        })
      ).json(),
    );
    expect(inbox.lockedLinks).toEqual([
      {
        linkId: link.linkId,
        kind: 'new-referral',
        patientName: `${patient.givenName} ${patient.familyName}`,
        caseId: null,
        failures: 5,
        lockedAt: clock.toISOString(),
      },
    ]);
    // No case was made from the link.
    expect(inbox.items).toEqual([]);
  });

  it('sends: wrong dates split across two hub processes on one database; must: counted together (rows, not memory)', async () => {
    const { link, patient } = await newLink(42);
    second = await startHub({ dataDir: hub.dataDir, now: () => clock });
    for (const base of [hub.url, second.url, hub.url, second.url]) {
      expect((await post(base, `/patient-links/${link.token}/submit`, submission('1999-12-31'))).status).toBe(422);
    }
    const fifth = await post(second.url, `/patient-links/${link.token}/submit`, submission('1999-12-30'));
    expect(fifth.status).toBe(403);
    const right = await post(hub.url, `/patient-links/${link.token}/submit`, submission(patient.dateOfBirth));
    expect(hubErrorSchema.parse(await right.json()).error.code).toBe('link-locked');
  });

  it('sends: one wrong date, then the right one; must: the link still works (a typo is not a lock-out)', async () => {
    const { link, patient } = await newLink(43);
    expect((await post(hub.url, `/patient-links/${link.token}/submit`, submission('1970-01-01'))).status).toBe(422);
    const res = await post(hub.url, `/patient-links/${link.token}/submit`, submission(patient.dateOfBirth));
    expect(res.status).toBe(200);
  });
});
