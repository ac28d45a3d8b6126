import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord, Referral } from '../../src/shared/domain/case';
import type { DecisionContent, SignedDecision } from '../../src/shared/domain/decision';
import { decisionReceiptSchema, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { addPractice, practiceLogin } from '../support/doors-fixture';
import { hubFetch, manualClock, startTestHub, testCaseInput, type TestHub } from '../support/hub-fixture';
import { pdfText } from '../support/pdf-text';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';

/**
 * Forged and rule-breaking decisions, sent to the real hub over HTTP the way a workstation (or
 * anything holding a consultant's token) can. Each case says what it sends and what must happen.
 * The hub re-runs the workstation's own clinical rules (shared/domain/outcome-rules.ts) against
 * its copy of the referral, takes the signer from the token, and keeps its own receipt time.
 */

const clock = manualClock(new Date('2026-11-24T15:00:00.000Z'));
const RECEIVED = '2026-11-23T09:00:00.000Z';
/** Signed offline the evening before the upload: a true signing time the hub must keep. */
const SIGNED_OFFLINE = '2026-11-23T18:30:00.000Z';
const GMC = '7123456';

let hub: TestHub;
let token: string;
let practiceToken: string;
let seed = 100;

beforeAll(async () => {
  hub = await startTestHub({ now: clock.now });
  await hub.hub.admin.setGmcNumber(hub.consultant.id, GMC);
  token = await hub.login();
  practiceToken = await practiceLogin(hub, await addPractice(hub));
});
afterAll(async () => hub.close());

/** A case on the hub (received yesterday), claimed by the consultant. */
async function claimedCase(referral: Partial<Referral> = {}): Promise<CaseRecord> {
  const input = testCaseInput(seed++, RECEIVED);
  const record = await hub.hub.admin.addCase({ ...input, referral: { ...input.referral, ...referral } });
  const claim = await hubFetch(hub.url, token, '/batches/claim', { body: { count: 50 } });
  expect(claim.status).toBe(200);
  return record;
}

function decision(record: CaseRecord, content: DecisionContent, over: Partial<SignedDecision> = {}): SignedDecision {
  return {
    ...content,
    id: randomUUID(),
    caseId: record.id,
    caseVersion: record.version,
    version: 1,
    supersedes: null,
    signedBy: { id: hub.consultant.id, displayName: hub.consultant.displayName },
    signedAt: SIGNED_OFFLINE,
    ...over,
  };
}

function put(d: SignedDecision): Promise<Response> {
  return hubFetch(hub.url, token, `/cases/${d.caseId}/decisions/${d.id}`, {
    method: 'PUT',
    body: d,
    headers: { 'idempotency-key': d.id, 'if-match': `"${d.caseVersion}"` },
  });
}

/** The refusal's error body; and nothing recorded: the case is still undecided on the hub. */
async function refused(res: Response, status: number): Promise<{ code: string; message: string; field?: string }> {
  expect(res.status).toBe(status);
  return hubErrorSchema.parse(await res.json()).error;
}

async function nothingRecorded(caseId: string): Promise<void> {
  expect(await hub.hub.admin.decisionsForCase(caseId)).toEqual([]);
  const item = inboxResponseSchema
    .parse(await (await hubFetch(hub.url, practiceToken, '/practice/inbox')).json())
    .items.find((i) => i.caseId === caseId);
  expect(item?.status).toBe('open');
  expect(item?.outcome).toBeNull();
}

describe('the hub re-checks the clinical rules of every decision', () => {
  it('sends: a discharge of a suspected-cancer referral with no downgrade advice; must: 422 downgrade-advice-required, nothing recorded', async () => {
    const record = await claimedCase({ priority: 'suspected-cancer' });
    const error = await refused(await put(decision(record, sampleDischarge())), 422);
    expect(error).toMatchObject({ code: 'downgrade-advice-required', field: 'downgradeAdvice' });
    expect(error.message).toMatch(/Only the referrer can downgrade/);
    await nothingRecorded(record.id);
  });

  it('sends: the same discharge with advice to the referrer to downgrade; must: 201 (advice only, the referral is not downgraded)', async () => {
    const record = await claimedCase({ priority: 'suspected-cancer' });
    const advice = 'Clinically a seborrhoeic keratosis: I advise you to downgrade this referral.';
    const res = await put(decision(record, sampleDischarge({ downgradeAdvice: advice })));
    expect(res.status).toBe(201);
    expect((await hub.hub.admin.caseState(record.id))?.record.referral.priority).toBe('suspected-cancer');
  });

  it('sends: a decision on a referral with no consent recorded; must: 422 consent-not-recorded, nothing recorded', async () => {
    const record = await claimedCase({ consent: null });
    const error = await refused(await put(decision(record, sampleDischarge())), 422);
    expect(error).toMatchObject({ code: 'consent-not-recorded', field: 'consent' });
    await nothingRecorded(record.id);
  });

  it('sends: consent recorded as refused (given: false); must: 422 consent-not-recorded', async () => {
    const record = await claimedCase({ consent: { given: false, recordedAt: RECEIVED, recordedBy: 'Dr Priya Shah' } });
    expect((await refused(await put(decision(record, sampleDischarge())), 422)).code).toBe('consent-not-recorded');
    await nothingRecorded(record.id);
  });

  it('sends: downgrade advice on a routine referral; must: 422 downgrade-advice-not-applicable', async () => {
    const record = await claimedCase({ priority: 'routine' });
    const res = await put(decision(record, sampleDischarge({ downgradeAdvice: 'Downgrade please.' })));
    expect((await refused(res, 422)).code).toBe('downgrade-advice-not-applicable');
    await nothingRecorded(record.id);
  });

  it('sends: outcomes whose details are blank (a subspecialty clinic with no name, onward referral to "   ", more information with a blank request); must: 422 outcome-incomplete naming the field', async () => {
    const blanks: Array<[DecisionContent['outcome'], string]> = [
      [{ kind: 'routine-face-to-face', clinic: 'subspecialty', subspecialty: null, mode: 'in-person' }, 'subspecialty'],
      [{ kind: 'onward-referral', specialty: '   ' }, 'specialty'],
      [{ kind: 'more-information', requests: ['dermoscopy'], detail: ' \n ' }, 'detail'],
    ];
    for (const [outcome, field] of blanks) {
      const record = await claimedCase({ priority: 'routine' });
      const error = await refused(await put(decision(record, sampleDischarge({ outcome }))), 422);
      expect(error).toMatchObject({ code: 'outcome-incomplete', field });
      await nothingRecorded(record.id);
    }
  });
});

describe('the signer and the time come from the hub, not the upload', () => {
  it('sends: a decision signed "2001-01-01", before the referral reached the hub; must: 422 signed-before-referral', async () => {
    const record = await claimedCase({ priority: 'routine' });
    const res = await put(decision(record, sampleDischarge(), { signedAt: '2001-01-01T00:00:00.000Z' }));
    expect(await refused(res, 422)).toMatchObject({ code: 'signed-before-referral', field: 'signedAt' });
    await nothingRecorded(record.id);
  });

  it("sends: another consultant's id as the signer; must: 403 signed-by-mismatch", async () => {
    const other = await hub.addConsultant();
    const record = await claimedCase({ priority: 'routine' });
    const res = await put(decision(record, sampleDischarge(), { signedBy: { id: other.id, displayName: 'Dr Other' } }));
    expect((await refused(res, 403)).code).toBe('signed-by-mismatch');
    await nothingRecorded(record.id);
  });

  it('sends: the display name "Prof. Somebody Else FRCP", signed offline yesterday; must: 201, stored and shown under the account\'s registered name and GMC number, with both the signing and the receipt time', async () => {
    const record = await claimedCase({ priority: 'routine' });
    const forged = decision(record, sampleDischarge(), {
      signedBy: { id: hub.consultant.id, displayName: 'Prof. Somebody Else FRCP' },
    });
    const res = await put(forged);
    expect(res.status).toBe(201);
    // The receipt is the hub's clock, not the workstation's.
    expect(decisionReceiptSchema.parse(await res.json()).acceptedAt).toBe('2026-11-24T15:00:00.000Z');

    const stored = (await hub.hub.admin.decisionsForCase(record.id))[0]!;
    expect(stored.decision.signedBy).toEqual({ id: hub.consultant.id, displayName: hub.consultant.displayName });
    expect(stored.decision.signedAt).toBe(SIGNED_OFFLINE);
    expect(stored.receipt.acceptedAt).toBe('2026-11-24T15:00:00.000Z');

    // A resend of the same bytes is still recognised as the same decision (replayed, not refused).
    const again = await put(forged);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const item = inboxResponseSchema
      .parse(await (await hubFetch(hub.url, practiceToken, '/practice/inbox')).json())
      .items.find((i) => i.caseId === record.id)!;
    expect(item.outcome).toMatchObject({
      signedBy: { id: hub.consultant.id, displayName: hub.consultant.displayName },
      gmcNumber: GMC,
      signedAt: SIGNED_OFFLINE,
      receivedByHubAt: '2026-11-24T15:00:00.000Z',
    });

    const letter = await hubFetch(
      hub.url,
      practiceToken,
      `/practice/cases/${record.id}/outcomes/${forged.id}/letter.pdf`,
    );
    expect(letter.status).toBe(200);
    const dir = makeTempDir('dermdesk-forged-letter-');
    try {
      writeFileSync(join(dir.path, 'letter.pdf'), Buffer.from(await letter.arrayBuffer()));
      const { text } = await pdfText(join(dir.path, 'letter.pdf'));
      expect(text).not.toContain('Somebody Else');
      expect(text).toContain(hub.consultant.displayName);
      expect(text).toContain(`GMC ${GMC}`);
      // Both clocks, in UK time: signed 23/11 18:30, received 24/11 15:00.
      expect(text).toContain('Signed 23/11/2026 18:30 (workstation clock); received by the hub 24/11/2026 15:00');
    } finally {
      dir.remove();
    }
  });
});
