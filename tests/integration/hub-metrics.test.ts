import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema } from '../../src/shared/hub-api/intake-api';
import { addPractice, consultantDecides, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';

/**
 * Prometheus metrics at /metrics (prom-client): behind the deployment's scrape token, counting
 * what the hub does, and carrying no patient data whatever the requests carried.
 */
const SCRAPE_TOKEN = 'scrape-token-for-tests-0123456789';
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ metricsToken: SCRAPE_TOKEN });
});
afterAll(async () => hub.close());

const scrape = (token?: string) =>
  fetch(`${hub.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one sample line, e.g. `dermdesk_hub_intake_total{door="json",result="accepted"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('/metrics', () => {
  it('is refused without the scrape token, and with a wrong one', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token')).status).toBe(401);
    const consultantToken = await hub.login();
    expect((await scrape(consultantToken)).status).toBe(401);
  });

  it('is off (404) on a hub started without a scrape token', async () => {
    const plain = await startTestHub();
    try {
      const res = await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('metrics-off');
    } finally {
      await plain.close();
    }
  });

  it('counts intake, claims and decision receipts, times requests by route pattern, and names no patient', async () => {
    const practiceToken = await practiceLogin(hub, await addPractice(hub));
    const submission = sampleSubmission(11);
    const intake = (body: unknown) =>
      fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${practiceToken}` },
        body: JSON.stringify(body),
      });
    const accepted = await intake(submission);
    expect(accepted.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await accepted.json());
    expect((await intake({ ...submission, referral: { ...submission.referral, consent: null } })).status).toBe(422);

    const consultantToken = await hub.login();
    await consultantDecides(hub, consultantToken, caseId, sampleDischarge());

    const res = await scrape(SCRAPE_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'dermdesk_hub_intake_total{door="json",result="accepted"}')).toBe(1);
    expect(sample(text, 'dermdesk_hub_intake_total{door="json",result="refused"}')).toBe(1);
    expect(sample(text, 'dermdesk_hub_claimed_cases_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dermdesk_hub_decision_receipts_total{result="stored"}')).toBe(1);
    expect(
      sample(
        text,
        'dermdesk_hub_request_duration_seconds_count{method="POST",route="/api/v1/intake/referrals",status="4xx"}',
      ),
    ).toBe(1);
    expect(sample(text, 'dermdesk_hub_errors_total{route="/metrics",status="401"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/dermdesk_hub_process_resident_memory_bytes/);
    // Route patterns only: the case id, the patient's name and NHS number never appear.
    for (const secret of [caseId, submission.patient.nhsNumber, submission.patient.familyName, consultantToken])
      expect(text).not.toContain(secret);
  });
});
