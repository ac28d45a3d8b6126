import { expect, test } from '@playwright/test';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { addOperator, addPractice, consultantDecides, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';
import { HubSignIn } from './pages/hub-pages';

/** Feedback from a patient and the operator's dashboard, in Chromium against a real hub. */
let hub: TestHub;
let clock = new Date('2026-12-18T10:00:00Z');

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  // Two referrals received on Friday 18 Dec 2026 are due on Wednesday 23rd; "now" is Thursday 24th.
  hub = await startTestHub({ now: () => clock });
});
test.afterAll(async () => {
  await hub?.close();
});

test('a patient leaves feedback and the operator sees it with the service figures', async ({ page }) => {
  const practice = await addPractice(hub);
  const token = await practiceLogin(hub, practice);
  const caseIds: string[] = [];
  for (const seed of [51, 52]) {
    const res = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleSubmission(seed, 1)),
    });
    caseIds.push(((await res.json()) as { caseId: string }).caseId);
  }
  // Signed on the hub's (test) clock: the hub refuses a signature dated before the referral.
  await consultantDecides(hub, await hub.login(), caseIds[0]!, sampleDischarge(), null, clock);
  clock = new Date('2026-12-24T11:00:00Z');

  await page.goto(`${hub.url}/feedback?from=patient`);
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.locator('[data-error-for="rating"]')).toHaveText('Choose a rating from 1 to 5');
  await page.getByLabel('4').check();
  await page.getByLabel('Comments').fill('Clear instructions about the coin for scale.');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.getByRole('status')).toContainText('Thank you for your feedback');

  // A practice signed in on /gp in this browser is not taken for the operator on /ops.
  await page.goto(`${hub.url}/gp/inbox`);
  await new HubSignIn(page).signIn(practice.username, practice.password);
  await expect(page.getByRole('heading', { name: 'Outcomes inbox' })).toBeVisible();
  const operator = await addOperator(hub);
  await page.goto(`${hub.url}/ops`);
  await new HubSignIn(page).signIn(operator.username, operator.password);
  await expect(page.locator('#fig-received')).toHaveText('2 (2 in the last 7 days)');
  await expect(page.locator('#fig-awaiting')).toHaveText('1');
  await expect(page.locator('#fig-overdue')).toHaveText('1');
  await expect(page.locator('#fig-feedback')).toHaveText('1 responses, average 4 / 5');
  await expect(page.getByRole('row', { name: /Discharge with advice/ })).toContainText('1');
});
