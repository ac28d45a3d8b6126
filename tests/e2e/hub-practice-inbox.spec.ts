import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import {
  addPractice,
  consultantDecides,
  practiceLogin,
  sampleSubmission,
  type TestPractice,
} from '../support/doors-fixture';
import { dermoscopyFixtures } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';
import { HubSignIn } from './pages/hub-pages';

/**
 * A case flowing GP → consultant → practice: the referral arrives through the intake API, the
 * consultant claims and decides through the consultant sync API (what the workstation's sync
 * client calls), and the outcome shows in the practice's inbox in Chromium.
 */
let hub: TestHub;
let practice: TestPractice;

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub();
  practice = await addPractice(hub);
});
test.afterAll(async () => {
  await hub?.close();
});

async function refer(seed: number, priority: 'routine' | 'suspected-cancer' = 'routine'): Promise<string> {
  const token = await practiceLogin(hub, practice);
  const submission = sampleSubmission(seed, 1);
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...submission, referral: { ...submission.referral, priority } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

test('the outcome reaches the practice inbox: advice, PDF letter, acknowledgement', async ({ page }) => {
  const caseId = await refer(41);
  await page.goto(`${hub.url}/gp/inbox`);
  await new HubSignIn(page).signIn(practice.username, practice.password);
  const item = page.locator(`[data-case-id="${caseId}"]`);
  await expect(item).toContainText('Awaiting triage');
  // Nothing but what the practice should read (no stray "null" or "undefined" from an empty field).
  await expect(item).not.toContainText(/null|undefined/);

  const consultantToken = await hub.login();
  await consultantDecides(hub, consultantToken, caseId, sampleDischarge());
  await page.reload();
  await expect(item).toContainText('Outcome received');
  await expect(item.getByRole('heading', { name: 'Discharge with advice and treatment plan to the GP' })).toBeVisible();
  await expect(item).toContainText('Advice: Benign seborrhoeic keratosis.');

  const download = page.waitForEvent('download');
  await item.getByRole('button', { name: 'Download letter (PDF)' }).click();
  const pdf = readFileSync((await (await download).path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(item).toContainText('Acknowledged');
  await page.reload();
  await expect(item).toContainText('Acknowledged');
  await expect(item.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
});

test('the inbox shows a downgrade and what the practice must do; "Needs action only" hides what is done', async ({
  page,
}) => {
  const downgraded = await refer(43, 'suspected-cancer');
  const discharged = await refer(44);
  const consultantToken = await hub.login();
  await consultantDecides(hub, consultantToken, downgraded, {
    ...sampleDischarge(),
    downgradeAdvice: 'Features of a seborrhoeic keratosis; please consider downgrading this referral.',
  });
  await consultantDecides(hub, consultantToken, discharged, sampleDischarge());
  await page.goto(`${hub.url}/gp/inbox`);
  await new HubSignIn(page).signIn(practice.username, practice.password);
  const downgradedItem = page.locator(`[data-case-id="${downgraded}"]`);
  const dischargedItem = page.locator(`[data-case-id="${discharged}"]`);
  await expect(downgradedItem).toContainText(
    'Advice about your suspected-cancer referral: Features of a seborrhoeic keratosis',
  );
  await expect(downgradedItem.getByRole('heading', { name: 'What the practice must do' })).toBeVisible();
  await expect(downgradedItem).toContainText('only you, as the referrer, can downgrade it');
  await expect(downgradedItem).toContainText('Needs action');
  await expect(dischargedItem).toBeVisible();

  await page.getByLabel('Needs action only').check();
  await expect(dischargedItem).toHaveCount(0);
  await expect(downgradedItem).toBeVisible();
  await downgradedItem.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(downgradedItem).toContainText('Acknowledged');
  await page.getByLabel('Needs action only').uncheck();
  await page.getByLabel('Needs action only').check();
  await expect(downgradedItem).toHaveCount(0);
});

test('a request for more information is answered from the inbox and the case returns to the consultant', async ({
  page,
}) => {
  const caseId = await refer(42);
  const consultantToken = await hub.login();
  const first = await consultantDecides(hub, consultantToken, caseId, {
    ...sampleDischarge(),
    outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please add a dermoscopy image.' },
  });
  await page.goto(`${hub.url}/gp/inbox`);
  await new HubSignIn(page).signIn(practice.username, practice.password);
  const item = page.locator(`[data-case-id="${caseId}"]`);
  await expect(item).toContainText('More information requested');
  await expect(item).toContainText('Please add a dermoscopy image.');

  await item.getByLabel('What you are sending').fill('Dermoscopy attached.');
  await item.getByLabel('Kind of photograph').selectOption('dermoscopy');
  await item.getByLabel('Photographs').setInputFiles(dermoscopyFixtures()[4]!);
  await item.getByRole('button', { name: 'Send to the consultant' }).click();
  await expect(item).toContainText('Awaiting triage');
  await expect(item).toContainText('back with the consultant');

  // The consultant sees the same case, updated, and decides again.
  const kase = (await (
    await fetch(`${hub.url}${HUB_API_PREFIX}/cases/${caseId}`, {
      headers: { authorization: `Bearer ${consultantToken}` },
    })
  ).json()) as { version: number; images: { kind: string }[] };
  expect(kase.version).toBe(2);
  expect(kase.images.map((i) => i.kind)).toEqual(['overview', 'dermoscopy']);
  await consultantDecides(hub, consultantToken, caseId, sampleDischarge(), { id: first.decisionId, version: 1 });
  await page.reload();
  await expect(item).toContainText('Outcome received');
});
