import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubLogger } from '../../src/hub/http/hub-log';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { intakeReceiptSchema } from '../../src/shared/hub-api/intake-api';
import { addPractice, consultantDecides, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';

/**
 * The hub's structured log (pino through Fastify), written by the real logger into memory while
 * a practice signs in, refers a patient with photographs, makes a patient link that is opened,
 * and a decision upload fails inside the hub with patient details in the error's message.
 * Every line is JSON; none carries a patient's details, a password, a token or a link.
 */
const lines: string[] = [];
let hub: TestHub;
let failNextDecision: string | null = null;

beforeAll(async () => {
  hub = await startTestHub({
    log: createHubLogger({ destination: { write: (line: string) => void lines.push(line) } }),
    hooks: {
      beforeDecisionCommit: async () => {
        if (failNextDecision) throw new Error(failNextDecision);
      },
    },
  });
});
afterAll(async () => hub.close());

describe("the hub's log", () => {
  it('logs every request by route pattern and status, and an unexpected error by type and frames, with no patient data', async () => {
    const practice = await addPractice(hub);
    const practiceToken = await practiceLogin(hub, practice);
    const s = sampleSubmission(21);
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${practiceToken}` };
    const sent = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(s),
    });
    expect(sent.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await sent.json());

    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const created = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/patient-links`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } }),
    });
    expect(created.status).toBe(201);
    const link = createLinkResponseSchema.parse(await created.json());
    expect((await fetch(`${hub.url}${HUB_API_PREFIX}/patient-links/${link.token}`)).status).toBe(200);

    const consultantToken = await hub.login();
    const secretMessage = `cannot store decision for ${s.patient.givenName} ${s.patient.familyName} ${s.patient.nhsNumber}`;
    failNextDecision = secretMessage;
    await expect(consultantDecides(hub, consultantToken, caseId, sampleDischarge())).rejects.toThrow(/500/);
    failNextDecision = null;

    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/api/v1/intake/referrals', status: 201, method: 'POST' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/api/v1/patient-links/:token', status: 200 }),
    );
    const failure = entries.find((e) => e.msg === 'unexpected error') as { err: { type: string; frames: string[] } };
    expect(failure.err.type).toBe('Error');
    expect(failure.err.frames.length).toBeGreaterThan(0);

    const log = lines.join('\n');
    for (const secret of [
      s.patient.nhsNumber,
      s.patient.familyName,
      s.patient.givenName,
      s.patient.dateOfBirth,
      s.referral.presentingComplaint,
      practice.password,
      practiceToken,
      consultantToken,
      link.token,
      caseId,
    ])
      expect(log, `the log contains "${secret}"`).not.toContain(secret);
  });
});
