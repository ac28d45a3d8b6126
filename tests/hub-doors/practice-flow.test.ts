import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { dashboardSchema } from '../../src/shared/hub-api/dashboard-api';
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
import { sampleDischarge } from '../support/sample-case';
import { pdfText } from '../support/pdf-text';
import { makeTempDir } from '../support/temp-dir';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let hub: TestHub;
let practiceToken: string;
let otherPracticeToken: string;
let consultantToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  practiceToken = await practiceLogin(hub, await addPractice(hub));
  otherPracticeToken = await practiceLogin(hub, await addPractice(hub, 'Y12345', 'Hillside Surgery'));
  consultantToken = await hub.login();
});
afterAll(async () => hub.close());

const call = (path: string, token: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

async function refer(seed: number): Promise<string> {
  const res = await call('/intake/referrals', practiceToken, { json: sampleSubmission(seed, 1) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

async function inbox(token = practiceToken) {
  const res = await call('/practice/inbox', token);
  expect(res.status).toBe(200);
  return inboxResponseSchema.parse(await res.json()).items;
}

describe('outcomes back to the practice', () => {
  it('GP referral → consultant claims and decides over the consultant API → outcome, letter and acknowledgement in the inbox', async () => {
    const caseId = await refer(11);
    expect((await inbox()).find((i) => i.caseId === caseId)?.status).toBe('open');

    const { decisionId } = await consultantDecides(hub, consultantToken, caseId, sampleDischarge());
    const item = (await inbox()).find((i) => i.caseId === caseId)!;
    expect(item.status).toBe('decided');
    expect(item.outcome?.decisionId).toBe(decisionId);
    expect(item.outcome?.label).toBe('Discharge with advice and treatment plan to the GP');
    expect(item.outcome?.plan.adviceToGp).toBe('Benign seborrhoeic keratosis.');
    expect(item.outcome?.acknowledgedAt).toBeNull();

    const letter = await call(`/practice/cases/${caseId}/outcomes/${decisionId}/letter.pdf`, practiceToken);
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await letter.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The workstation's letter generator wrote it: patient, outcome and the advice are in its text.
    const dir = makeTempDir('dermdesk-letter-');
    writeFileSync(join(dir.path, 'letter.pdf'), pdf);
    const { text } = await pdfText(join(dir.path, 'letter.pdf'));
    dir.remove();
    expect(text).toContain('Grace HOPPER');
    expect(text).toContain('Discharge with advice and treatment plan to the GP');
    expect(text).toContain('Benign seborrhoeic keratosis.');

    const ack = await call(`/practice/cases/${caseId}/outcomes/${decisionId}/acknowledge`, practiceToken, {
      method: 'POST',
    });
    expect(ack.status).toBe(200);
    const again = await call(`/practice/cases/${caseId}/outcomes/${decisionId}/acknowledge`, practiceToken, {
      method: 'POST',
    });
    expect(((await again.json()) as { acknowledgedAt: string }).acknowledgedAt).toBe(
      ((await ack.json()) as { acknowledgedAt: string }).acknowledgedAt,
    );
    expect((await inbox()).find((i) => i.caseId === caseId)?.outcome?.acknowledgedAt).not.toBeNull();

    // Another practice sees none of it, and cannot fetch the letter or acknowledge.
    expect((await inbox(otherPracticeToken)).map((i) => i.caseId)).not.toContain(caseId);
    expect((await call(`/practice/cases/${caseId}/outcomes/${decisionId}/letter.pdf`, otherPracticeToken)).status).toBe(
      404,
    );
    expect(
      (
        await call(`/practice/cases/${caseId}/outcomes/${decisionId}/acknowledge`, otherPracticeToken, {
          method: 'POST',
        })
      ).status,
    ).toBe(404);
  });

  it('a request for more information returns to the same case and, answered, goes back to the consultant', async () => {
    const caseId = await refer(12);
    const first = await consultantDecides(hub, consultantToken, caseId, {
      ...sampleDischarge(),
      outcome: {
        kind: 'more-information',
        requests: ['dermoscopy', 'scale'],
        detail: 'Please add a dermoscopy image with a ruler.',
      },
    });
    let item = (await inbox()).find((i) => i.caseId === caseId)!;
    expect(item.status).toBe('awaiting-information');
    expect(item.outcome?.outcome.kind).toBe('more-information');

    // Bad answers change nothing.
    const bad = await call(`/practice/cases/${caseId}/information`, practiceToken, {
      json: {
        note: 'here',
        images: [{ kind: 'dermoscopy', mediaType: 'image/jpeg', data: Buffer.from('not an image').toString('base64') }],
      },
    });
    expect(bad.status).toBe(422);
    expect((await inbox()).find((i) => i.caseId === caseId)?.status).toBe('awaiting-information');

    const answer = await call(`/practice/cases/${caseId}/information`, practiceToken, {
      json: {
        note: 'Dermoscopy with a ruler attached.',
        images: [{ kind: 'dermoscopy', mediaType: 'image/jpeg', data: fixtureBase64(3) }],
      },
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { status: string }).status).toBe('open');
    item = (await inbox()).find((i) => i.caseId === caseId)!;
    expect(item.status).toBe('open');
    expect(item.outcome?.answeredAt).not.toBeNull();
    const twice = await call(`/practice/cases/${caseId}/information`, practiceToken, {
      json: { note: 'again', images: [] },
    });
    expect(twice.status).toBe(409);

    // The consultant gets the same case back, updated (new version, new image, the note in the history).
    const changes = (await (await call('/changes?after=0', consultantToken)).json()) as {
      changes: { caseId: string; kind: string }[];
    };
    expect(changes.changes).toContainEqual(expect.objectContaining({ caseId, kind: 'updated' }));
    const kase = (await (await call(`/cases/${caseId}`, consultantToken)).json()) as {
      version: number;
      images: unknown[];
      referral: { history: string };
    };
    expect(kase.version).toBe(2);
    expect(kase.images).toHaveLength(2);
    expect(kase.referral.history).toContain('Dermoscopy with a ruler attached.');

    const second = await consultantDecides(hub, consultantToken, caseId, sampleDischarge(), {
      id: first.decisionId,
      version: 1,
    });
    item = (await inbox()).find((i) => i.caseId === caseId)!;
    expect(item.status).toBe('decided');
    expect(item.outcome?.decisionId).toBe(second.decisionId);
  });

  it('the operator dashboard counts cases, outcomes and image-quality returns; practices cannot see it', async () => {
    const op = await addOperator(hub);
    const opToken = await hub.login(op);
    const caseId = await refer(13);
    void caseId;
    const res = await call('/dashboard', opToken);
    expect(res.status).toBe(200);
    const d = dashboardSchema.parse(await res.json());
    expect(d.received.total).toBe(3);
    expect(d.awaitingTriage).toBe(1);
    expect(d.decided).toBe(2);
    // Case 2 was returned once for dermoscopy and scale: 1 of the 2 decided cases.
    expect(d.imageQualityReturns).toBe(1);
    expect(d.imageQualityReturnRate).toBeCloseTo(0.5);
    expect(d.outcomeMix).toEqual([
      { kind: 'discharge', label: 'Discharge with advice and treatment plan to the GP', count: 2 },
    ]);
    expect((await call('/dashboard', practiceToken)).status).toBe(403);
    expect((await call('/dashboard', consultantToken)).status).toBe(403);
  });

  it('feedback from patients and practices is stored and reportable to the operator only', async () => {
    const anon = await fetch(`${hub.url}${HUB_API_PREFIX}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'patient',
        rating: 5,
        comment: 'Quick, and the photo advice was clear, "thanks"',
      }),
    });
    expect(anon.status).toBe(201);
    expect(
      (await call('/feedback', practiceToken, { json: { source: 'practice', rating: 3, comment: '' } })).status,
    ).toBe(201);
    const bad = await call('/feedback', practiceToken, { json: { source: 'practice', rating: 9, comment: '' } });
    expect(bad.status).toBe(422);
    const op = await addOperator(hub);
    const opToken = await hub.login(op);
    const report = (await (await call('/feedback', opToken)).json()) as {
      total: number;
      averageRating: number;
      rows: { odsCode: string | null }[];
    };
    expect(report.total).toBe(2);
    expect(report.averageRating).toBe(4);
    expect(report.rows.map((r) => r.odsCode).sort()).toEqual(['B82005', null]);
    const csv = await (await call('/feedback?format=csv', opToken)).text();
    expect(csv).toContain('"Quick, and the photo advice was clear, ""thanks"""');
    expect((await call('/feedback', practiceToken)).status).toBe(403);
  });
});

// After the dashboard's counts above: these cases would change them.
describe('the practice inbox, needs action', () => {
  it('the inbox says what the practice must do, and "needs action" lists only what still needs someone', async () => {
    const discharged = await refer(41);
    const urgent = await refer(42);
    await consultantDecides(hub, consultantToken, discharged, sampleDischarge());
    const { decisionId } = await consultantDecides(hub, consultantToken, urgent, {
      ...sampleDischarge(),
      outcome: { kind: 'urgent-face-to-face', mode: 'in-person' },
    });
    const all = await inbox();
    const urgentItem = all.find((i) => i.caseId === urgent)!;
    expect(urgentItem.needsAction).toBe(true);
    expect(urgentItem.actions.map((a) => a.code)).toEqual(['urgent-appointment', 'follow-plan']);
    const dischargedItem = all.find((i) => i.caseId === discharged)!;
    expect(dischargedItem.needsAction).toBe(false);
    expect(dischargedItem.actions.map((a) => a.code)).toEqual(['follow-plan']);

    const needsAction = async () => {
      const res = await call('/practice/inbox?filter=needs-action', practiceToken);
      expect(res.status).toBe(200);
      return inboxResponseSchema.parse(await res.json()).items.map((i) => i.caseId);
    };
    expect(await needsAction()).toContain(urgent);
    expect(await needsAction()).not.toContain(discharged);
    const ack = await call(`/practice/cases/${urgent}/outcomes/${decisionId}/acknowledge`, practiceToken, {
      method: 'POST',
    });
    expect(ack.status).toBe(200);
    expect(await needsAction()).not.toContain(urgent);
    expect((await call('/practice/inbox?filter=everything', practiceToken)).status).toBe(400);
  });
});
