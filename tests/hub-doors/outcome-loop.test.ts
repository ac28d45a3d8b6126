import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyHubRepository } from '../../src/hub/store/kysely/kysely-hub-repository';
import { openHubStore } from '../../src/hub/store/open-hub-store';
import { caseReference } from '../../src/shared/domain/case-reference';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { failsafeResponseSchema, opsMessagesResponseSchema } from '../../src/shared/hub-api/loop-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import {
  addOperator,
  addPractice,
  consultantDecides,
  practiceLogin,
  sampleSubmission,
  type TestPractice,
} from '../support/doors-fixture';
import { manualClock, startTestHub, type TestHub } from '../support/hub-fixture';
import { startNotifyStub, type NotifyStub } from '../support/notify-stub';
import { sampleDischarge } from '../support/sample-case';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

// Monday 7 December 2026, 09:00 London: working days are easy to count from here.
const clock = manualClock(new Date('2026-12-07T09:00:00.000Z'));
const MAILBOX = 'riverside.practice@nhs.net';
let hub: TestHub;
let smtp: SmtpSink;
let notify: NotifyStub;
let practice: TestPractice;
let consultantToken: string;
let operator: { username: string; password: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  notify = await startNotifyStub(clock.now, ['practice', 'link', 'expires']);
  hub = await startTestHub({
    now: clock.now,
    notify: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'DermDesk <no-reply@dermdesk.nhs.uk>' },
      sms: { baseUrl: notify.url, apiKey: notify.apiKey, templates: { 'patient-link': notify.templateId } },
      publicUrl: 'https://dermdesk.test-trust.nhs.uk',
      // The tests run the loop by hand (sweep) so the clock alone decides what is due.
      sweepIntervalMs: 3_600_000,
    },
  });
  practice = await addPractice(hub);
  operator = await addOperator(hub);
  const res = await call(`/ops/practices/${practice.odsCode}/settings`, await operatorToken(), {
    method: 'PUT',
    json: { mailbox: MAILBOX, failsafeWorkingDays: 2 },
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
  await notify?.close();
});

const call = (path: string, token: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

/** Tokens last 12 hours and the tests move the clock by days: sign in afresh each time. */
const practiceToken = () => practiceLogin(hub, practice);
const operatorToken = () => hub.login(operator);

async function refer(seed: number): Promise<string> {
  const res = await call('/intake/referrals', await practiceToken(), { json: sampleSubmission(seed, 1) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

async function decide(caseId: string, outcome: Parameters<typeof sampleDischarge>[0] = {}) {
  consultantToken = await hub.login();
  return consultantDecides(hub, consultantToken, caseId, sampleDischarge(outcome), null, clock.now());
}

/** The doors' audit rows about a subject. */
function doorsAudit(subject: string) {
  return hub.hub.admin.doorAuditFor(subject);
}

/** What the hub still holds of a queued message's params (null: forgotten), read from its own file. */
async function storedParams(messageId: string): Promise<string | null> {
  const repo = (await openHubStore({ kind: 'sqlite', file: join(hub.dataDir, 'hub.sqlite') })) as KyselyHubRepository;
  try {
    const row = await repo.db
      .selectFrom('outbound_messages')
      .select('params_json')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    return row.params_json;
  } finally {
    await repo.close();
  }
}

const failsafeList = async () =>
  failsafeResponseSchema.parse(await (await call('/ops/failsafe', await operatorToken())).json()).escalated;

describe('closing the loop: the practice is told, and an outcome needing action is not forgotten', () => {
  it('emails the practice mailbox with a link and the reference only, escalates after 2 working days, and clears on acknowledgement', async () => {
    const caseId = await refer(31);
    const { decisionId } = await decide(caseId, { outcome: { kind: 'urgent-face-to-face', mode: 'in-person' } });
    await hub.hub.loop.sweep();

    const [mail] = await smtp.waitFor(1);
    const ref = caseReference(caseId);
    expect(mail!.envelopeTo).toEqual([MAILBOX]);
    expect(mail!.parsed.subject).toBe(`DermDesk teledermatology: outcome ready (ref ${ref})`);
    expect(mail!.parsed.text).toContain(`https://dermdesk.test-trust.nhs.uk/gp/inbox?case=${caseId}`);
    // No patient data: not the name, the NHS number, the birth date, the complaint or the outcome.
    const submission = sampleSubmission(31, 1);
    for (const secret of [
      submission.patient.familyName,
      submission.patient.givenName,
      submission.patient.nhsNumber,
      submission.patient.dateOfBirth,
      submission.referral.presentingComplaint,
      'Urgent',
      'Seborrhoeic',
    ])
      expect(mail!.raw.toLowerCase()).not.toContain(secret.toLowerCase());

    // Two working days later (Wednesday) it is still only due; on Thursday it is escalated once.
    clock.advanceMinutes(2 * 24 * 60);
    await hub.hub.loop.sweep();
    expect(smtp.received).toHaveLength(1);
    expect(await failsafeList()).toEqual([]);
    clock.advanceMinutes(24 * 60);
    await hub.hub.loop.sweep();
    await hub.hub.loop.sweep();
    await smtp.waitFor(2);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.parsed.subject).toBe(
      `DermDesk teledermatology: ACTION NEEDED, outcome not yet acknowledged (ref ${ref})`,
    );
    const escalated = await failsafeList();
    expect(escalated).toEqual([
      expect.objectContaining({
        caseId,
        decisionId,
        reference: ref,
        odsCode: practice.odsCode,
        dueOn: '2026-12-09',
        outcome: 'Urgent face-to-face appointment',
      }),
    ]);

    // The practice acknowledges: the failsafe clears, and who and when are kept.
    const token = await practiceToken();
    const ack = await call(`/practice/cases/${caseId}/outcomes/${decisionId}/acknowledge`, token, { method: 'POST' });
    expect(ack.status).toBe(200);
    expect(await failsafeList()).toEqual([]);
    const tracked = await hub.hub.admin.outcomeTracking(decisionId);
    expect(tracked).toMatchObject({
      closedReason: 'acknowledged',
      acknowledgedAt: clock.now().toISOString(),
      acknowledgedBy: (await hub.hub.admin.findUser(practice.username))!.id,
    });
    expect((await doorsAudit(caseId)).filter((a) => a.action === 'outcome.acknowledged')).toEqual([
      expect.objectContaining({ actor: tracked!.acknowledgedBy, at: tracked!.acknowledgedAt }),
    ]);
  });

  it('opens no failsafe for a discharge; a request for more information is closed by the answer', async () => {
    const before = smtp.received.length;
    const discharged = await refer(32);
    const d = await decide(discharged);
    const asked = await refer(33);
    const m = await decide(asked, {
      outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please add a dermoscopy image.' },
    });
    await hub.hub.loop.sweep();
    await smtp.waitFor(before + 2);
    const subjects = smtp.received.slice(before).map((r) => r.parsed.subject);
    expect(subjects).toContain(`DermDesk teledermatology: outcome ready (ref ${caseReference(discharged)})`);
    expect(subjects).toContain(`DermDesk teledermatology: more information requested (ref ${caseReference(asked)})`);
    expect(await hub.hub.admin.outcomeTracking(d.decisionId)).toMatchObject({ needsAction: false, dueOn: null });
    expect(await hub.hub.admin.outcomeTracking(m.decisionId)).toMatchObject({ needsAction: true, closedAt: null });

    const answer = await call(`/practice/cases/${asked}/information`, await practiceToken(), {
      json: { note: 'Dermoscopy attached.', images: [] },
    });
    expect(answer.status).toBe(200);
    expect(await hub.hub.admin.outcomeTracking(m.decisionId)).toMatchObject({ closedReason: 'answered' });
    clock.advanceMinutes(7 * 24 * 60);
    await hub.hub.loop.sweep();
    expect(await failsafeList()).toEqual([]);
  });

  it('a send the relay refuses for now is retried from its row; one refused for good is shown to the operator and can be sent again', async () => {
    const before = smtp.received.length;
    smtp.failNext(451);
    const caseId = await refer(34);
    await decide(caseId);
    await hub.hub.loop.sweep();
    let pending = opsMessagesResponseSchema.parse(
      await (await call('/ops/messages', await operatorToken())).json(),
    ).messages;
    expect(pending).toEqual([
      expect.objectContaining({ reference: caseReference(caseId), status: 'pending', attempts: 1 }),
    ]);
    expect(pending[0]!.lastError).toContain('451');
    // Not before its retry time, then once it is due.
    await hub.hub.loop.sweep();
    expect(smtp.received).toHaveLength(before);
    clock.advanceMinutes(2);
    await hub.hub.loop.sweep();
    await smtp.waitFor(before + 1);
    expect(
      opsMessagesResponseSchema.parse(await (await call('/ops/messages', await operatorToken())).json()).messages,
    ).toEqual([]);

    smtp.failNext(550);
    const refused = await refer(35);
    await decide(refused);
    await hub.hub.loop.sweep();
    pending = opsMessagesResponseSchema.parse(
      await (await call('/ops/messages', await operatorToken())).json(),
    ).messages;
    expect(pending).toEqual([expect.objectContaining({ reference: caseReference(refused), status: 'failed' })]);
    // The outcome itself is not lost: the practice's inbox has it whatever happened to the email.
    const inbox = (await (await call('/practice/inbox', await practiceToken())).json()) as {
      items: { caseId: string; outcome: unknown }[];
    };
    expect(inbox.items.find((i) => i.caseId === refused)?.outcome).not.toBeNull();
    const retry = await call(`/ops/messages/${pending[0]!.id}/retry`, await operatorToken(), { method: 'POST' });
    expect(retry.status).toBe(200);
    await hub.hub.loop.sweep();
    await smtp.waitFor(before + 2);
    expect(
      (await call(`/ops/messages/${pending[0]!.id}/retry`, await operatorToken(), { method: 'POST' })).status,
    ).toBe(409);
    expect((await call('/ops/messages', await practiceToken())).status).toBe(403);
  });

  it('the practice sends the patient link by text message (Notify-shaped API) or email; the hub forgets the link once sent', async () => {
    const token = await practiceToken();
    const draft = (() => {
      const s = sampleSubmission(36, 1);
      return {
        patient: s.patient,
        clinician: s.clinician,
        referral: {
          priority: s.referral.priority,
          presentingComplaint: s.referral.presentingComplaint,
          duration: s.referral.duration,
          site: s.referral.site,
        },
      };
    })();
    const bySms = await call('/practice/patient-links', token, {
      json: { kind: 'new-referral', draft, send: { channel: 'sms', to: '07700 900123' } },
    });
    expect(bySms.status).toBe(201);
    const link = createLinkResponseSchema.parse(await bySms.json());
    expect(link.sent?.channel).toBe('sms');
    notify.failNext(500);
    await hub.hub.loop.sweep();
    expect(notify.accepted).toHaveLength(0);
    clock.advanceMinutes(2);
    await hub.hub.loop.sweep();
    expect(notify.refused.map((r) => r.status)).toEqual([500]);
    expect(notify.accepted).toEqual([
      {
        phone_number: '+447700900123',
        template_id: notify.templateId,
        personalisation: {
          practice: practice.name,
          link: `https://dermdesk.test-trust.nhs.uk/p/${link.token}`,
          expires: expect.stringMatching(/^\d\d\/\d\d\/2026$/),
        },
        reference: `link ${link.linkId.slice(0, 8)}`,
      },
    ]);
    expect(await storedParams(link.sent!.messageId)).toBeNull();

    const before = smtp.received.length;
    const byEmail = await call('/practice/patient-links', token, {
      json: { kind: 'new-referral', draft, send: { channel: 'email', to: 'grace.hopper@example.com' } },
    });
    expect(byEmail.status).toBe(201);
    const second = createLinkResponseSchema.parse(await byEmail.json());
    await hub.hub.loop.sweep();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.envelopeTo).toEqual(['grace.hopper@example.com']);
    expect(mail!.parsed.text).toContain(`https://dermdesk.test-trust.nhs.uk/p/${second.token}`);
    expect(mail!.raw).not.toContain(draft.patient.nhsNumber);

    // A number that is not a UK mobile, or a list of addresses, is refused before any link exists.
    for (const send of [
      { channel: 'sms', to: '020 7946 0000' },
      { channel: 'email', to: 'a@example.com, b@example.com' },
    ]) {
      const bad = await call('/practice/patient-links', token, { json: { kind: 'new-referral', draft, send } });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('send.to');
    }
  });
});
