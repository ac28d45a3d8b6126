import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { dermoscopyFixtures } from '../support/fixtures';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { practiceAnswers } from '../support/practice-answer';
import { openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * The more-information loop end to end, with the real hub on loopback and a real workstation
 * core: the consultant asks for a dermoscopy image, the practice answers from its inbox's API
 * (note and photograph), the next sync brings the case back to triage with the answer shown,
 * and the consultant's new decision (an amendment on the new version) is accepted by the hub.
 */
let hub: RunningHub;
let core: Core;
let consultant: { id: string; displayName: string };
let caseId: string;
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');
const PRACTICE = { username: 'riverside', password: 'riverside practice battery staple' };

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  // seedCases refers from sampleCase's practice (B82005): this account answers for it.
  await hub.admin.createPractice({
    ...PRACTICE,
    displayName: 'Dr Priya Shah',
    odsCode: 'B82005',
    practiceName: 'Riverside Medical Practice',
  });
  [caseId] = (await seedCases(hub, 1, 1)) as [string];
  core = openCore(deskDir.path);
  consultant = await signIn(core, hub.url);
  await core.handlers['sync.run']({ claim: 1 });
});
afterAll(async () => {
  core.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

const caseRow = (): { state: string; state_note: string | null; hub_version: number } =>
  core.db.prepare('SELECT state, state_note, hub_version FROM cases WHERE id = ?').get(caseId) as {
    state: string;
    state_note: string | null;
    hub_version: number;
  };
const listed = async (filter: 'open' | 'more-info' | 'all') =>
  (await core.handlers['worklist.list']({ limit: 100, offset: 0, filter })).cases.find((c) => c.id === caseId);

describe('more information: asked, answered, back to triage, decided again', () => {
  let requestId: string;
  const newPhoto = readFileSync(dermoscopyFixtures()[1]!);

  it('the request reaches the hub and the case waits under "More info", decided', async () => {
    requestId = signDecision(
      core.db,
      {
        caseId,
        consultant,
        content: sampleDischarge({
          outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please add a dermoscopy image.' },
        }),
      },
      new Date(),
    ).id;
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow().state).toBe('synced');
    expect((await listed('more-info'))?.state).toBe('synced');
    expect(await listed('open')).toBeUndefined();
  });

  it("the practice's answer brings the case back to triage at the next sync, marked and shown", async () => {
    const answer = await practiceAnswers(hub.url, PRACTICE, caseId, 'Dermoscopy attached, taken today.', [newPhoto]);
    expect(answer.status).toBe(200);
    await core.handlers['sync.run']({ claim: 0 });

    expect(caseRow()).toMatchObject({
      state: 'new',
      hub_version: 2,
      state_note: expect.stringMatching(
        /^The practice answered your request for more information on .* \(1 new photograph\)\.$/,
      ),
    });
    const row = await listed('open');
    expect(row).toMatchObject({ state: 'new', answerFrom: 'practice', imageCount: 2 });

    const detail = await core.handlers['case.get']({ caseId });
    expect(detail.answer).toMatchObject({
      decisionId: requestId,
      from: 'practice',
      note: 'Dermoscopy attached, taken today.',
    });
    const added = detail.record.images.filter((i) => detail.answer?.imageIds.includes(i.id));
    expect(added.map((i) => i.kind)).toEqual(['dermoscopy']);
    // The new photograph is in the cache, verified, beside the earlier one.
    const stored = core.db
      .prepare('SELECT sha256, stored FROM images WHERE case_id = ? ORDER BY position')
      .all(caseId) as Array<{ sha256: string; stored: number }>;
    expect(stored).toHaveLength(2);
    expect(stored.every((s) => s.stored === 1)).toBe(true);
    expect(stored[1]?.sha256).toBe(added[0]?.sha256);

    // A sync with nothing new leaves it where it is.
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow().state).toBe('new');
  });

  it('the new decision is an amendment on the answered version, which the hub accepts', async () => {
    const second = signDecision(
      core.db,
      { caseId, consultant, content: sampleDischarge(), supersedes: requestId },
      new Date(),
    );
    expect(second).toMatchObject({ version: 2, supersedes: requestId, caseVersion: 2 });
    expect((await listed('all'))?.answerFrom).toBeNull();
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow().state).toBe('synced');
    const atHub = await hub.admin.decisionsForCase(caseId);
    expect(atHub.map((d) => [d.decision.id, d.decision.version])).toEqual([
      [requestId, 1],
      [second.id, 2],
    ]);
    expect((await core.handlers['case.get']({ caseId })).answer).toBeNull();

    // Once decided again, a later refresh of the same record never brings it back.
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow().state).toBe('synced');
  });

  it('an answer to a request already answered is refused by the hub and changes nothing here', async () => {
    const again = await practiceAnswers(hub.url, PRACTICE, caseId, 'A second answer', [
      readFileSync(dermoscopyFixtures()[2]!),
    ]);
    expect(again.status).toBe(409);
    await core.handlers['sync.run']({ claim: 0 });
    expect(caseRow()).toMatchObject({ state: 'synced', hub_version: 2 });
  });
});
