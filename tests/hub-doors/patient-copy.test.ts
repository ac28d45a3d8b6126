import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import {
  addOperator,
  addPractice,
  consultantDecides,
  fixtureBase64,
  practiceLogin,
  sampleSubmission,
} from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { pdfTextOf } from '../support/pdf-text';
import { sampleDischarge } from '../support/sample-case';

/**
 * The patient's side of an outcome, on the real hub over loopback: the practice's opt-in
 * (operator settings), the patient's plain-language copy downloaded from the inbox, and the
 * outcome on the patient's used link page after signing, with the feedback form. Before signing,
 * or without the opt-in, the page says nothing about the outcome.
 */
let hub: TestHub;
let practice: Awaited<ReturnType<typeof addPractice>>;
let operator: { username: string; password: string };
let clock = new Date('2026-11-23T10:00:00.000Z');

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  practice = await addPractice(hub);
  operator = await addOperator(hub);
});
afterAll(async () => hub.close());

const api = (path: string, init: { json?: unknown; token?: string; method?: string } = {}) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

const optIn = async (patientCopy: boolean) => {
  const res = await api(`/ops/practices/${practice.odsCode}/settings`, {
    method: 'PUT',
    // Signed in afresh: the clock moves in these tests.
    token: await hub.login(operator),
    json: { mailbox: null, failsafeWorkingDays: 2, patientCopy },
  });
  expect(res.status).toBe(200);
};

/** A patient link used by the patient: returns its token and the case it made. */
async function usedLink(): Promise<{ token: string; linkId: string; caseId: string }> {
  const s = sampleSubmission(31);
  const { consent: _c, symptoms: _s, ...rest } = s.referral;
  // A suspected-cancer referral, so the consultant may advise the GP to downgrade it.
  const referral = { ...rest, priority: 'suspected-cancer' as const };
  const practiceToken = await practiceLogin(hub, practice);
  const created = await api('/practice/patient-links', {
    token: practiceToken,
    json: { kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } },
  });
  const { token, linkId } = createLinkResponseSchema.parse(await created.json());
  const sent = await api(`/patient-links/${token}/submit`, {
    json: {
      consent: true,
      dateOfBirth: s.patient.dateOfBirth,
      symptoms: 'It itches.',
      images: [{ kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) }],
    },
  });
  expect(sent.status).toBe(200);
  const items = inboxResponseSchema.parse(await (await api('/practice/inbox', { token: practiceToken })).json()).items;
  const caseId = items.find((i) => i.patient.nhsNumber === s.patient.nhsNumber)!.caseId;
  return { token, linkId, caseId };
}

const linkPage = async (token: string) => {
  const res = await fetch(`${hub.url}/p/${token}`);
  return { status: res.status, html: await res.text() };
};

describe("the patient's plain-language outcome", () => {
  let token: string;
  let linkId: string;
  let caseId: string;
  let decisionId: string;
  const downgraded = sampleDischarge({
    downgradeAdvice: 'Benign appearance; consider downgrading the two-week-wait referral.',
  });

  it('before signing, a used link says only that it was used, opted in or not', async () => {
    await optIn(true);
    ({ token, linkId, caseId } = await usedLink());
    const page = await linkPage(token);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This link has already been used');
    expect(page.html).not.toContain('What happens next');
  });

  it('after signing, without the opt-in: no outcome on the page and no patient copy', async () => {
    await optIn(false);
    clock = new Date('2026-11-24T10:00:00.000Z');
    ({ decisionId } = await consultantDecides(hub, await hub.login(), caseId, downgraded, null, clock));
    const page = await linkPage(token);
    expect(page.status).toBe(410);
    expect(page.html).not.toContain('What the skin specialist decided');

    const practiceToken = await practiceLogin(hub, practice);
    const inbox = inboxResponseSchema.parse(await (await api('/practice/inbox', { token: practiceToken })).json());
    expect(inbox.patientCopy).toBe(false);
    const copy = await api(`/practice/cases/${caseId}/outcomes/${decisionId}/patient-copy.pdf`, {
      token: practiceToken,
    });
    expect(copy.status).toBe(409);
    expect(((await copy.json()) as { error: { code: string } }).error.code).toBe('patient-copy-off');
  });

  it('opted in: the page shows the outcome in plain words and the feedback form, never the downgrade advice', async () => {
    await optIn(true);
    const page = await linkPage(token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('What the skin specialist decided');
    // A suspected-cancer referral the consultant advised the GP to downgrade: until the GP does,
    // the patient is on the pathway, so the page never says they need not be seen.
    expect(page.html).toContain(
      'The skin specialist looked at your photographs and has sent advice to your GP practice.',
    );
    expect(page.html).toContain('Until they do, please go to any hospital appointment you are offered.');
    expect(page.html).not.toContain('does not need to see you');
    expect(page.html).toContain('id="feedback-form"');
    expect(page.html).toContain('<input type="hidden" name="source" value="patient">');
    expect(page.html).not.toMatch(/downgrad|two-week|seborrhoeic|NHS number/i);
    // Seeing one's outcome is audited, and not counted as a failed attempt at a dead link.
    const audit = await hub.hub.admin.doorAuditFor(linkId);
    expect(audit.map((a) => a.action)).toContain('patient-link.outcome-viewed');
    for (let i = 0; i < 12; i++) expect((await linkPage(token)).status).toBe(200);
  });

  it('the outcome is shown for 30 days after the decision, then the link says only that it was used', async () => {
    const signed = clock;
    try {
      clock = new Date(signed.getTime() + 29 * 86_400_000);
      expect((await linkPage(token)).html).toContain('What the skin specialist decided');
      clock = new Date(signed.getTime() + 31 * 86_400_000);
      const late = await linkPage(token);
      expect(late.status).toBe(410);
      expect(late.html).toContain('This link has already been used');
      expect(late.html).not.toContain('What the skin specialist decided');
    } finally {
      clock = signed;
    }
  });

  it('the practice downloads the plain-language copy from its inbox', async () => {
    const practiceToken = await practiceLogin(hub, practice);
    const inbox = inboxResponseSchema.parse(await (await api('/practice/inbox', { token: practiceToken })).json());
    expect(inbox.patientCopy).toBe(true);
    const res = await api(`/practice/cases/${caseId}/outcomes/${decisionId}/patient-copy.pdf`, {
      token: practiceToken,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const { text } = await pdfTextOf(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain('Your skin photographs: what happens next');
    expect(text).toContain('The skin specialist looked at your photographs and has sent advice to your GP practice.');
    expect(text).not.toContain('does not need to see you');
    expect(text).not.toMatch(/downgrad|two-week/i);

    // Another practice cannot have it (the same 404 as for an outcome that does not exist).
    const other = await addPractice(hub, 'C84017', 'Hollybank Surgery');
    const theirs = await api(`/practice/cases/${caseId}/outcomes/${decisionId}/patient-copy.pdf`, {
      token: await practiceLogin(hub, other),
    });
    expect(theirs.status).toBe(404);
    expect((await api(`/practice/cases/${caseId}/outcomes/${decisionId}/patient-copy.pdf`)).status).toBe(401);
  });
});
