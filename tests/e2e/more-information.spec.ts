import { readFileSync } from 'node:fs';
import { CONSULTANT } from '../integration/sync-support';
import { dermoscopyFixtures } from '../support/fixtures';
import { practiceAnswers } from '../support/practice-answer';
import { expect, test } from './fixtures/desk-app';
import { specHub } from './fixtures/spec-hub';
import { CasePage } from './pages/case-page';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * The more-information loop on the workstation, against the real hub: the consultant asks for a
 * dermoscopy image, the practice answers (note and photograph), the next sync brings the case
 * back to "To triage" marked "Answer from the practice", the case shows the note and the new
 * photograph beside the earlier one, and the consultant's new decision reaches the hub.
 */
const hub = specHub(1, 1);
const PRACTICE = { username: 'riverside.e2e', password: 'riverside practice battery staple' };

test.beforeAll(async () => {
  // The seeded referrals come from sampleCase's practice, B82005.
  await hub.hub.admin.createPractice({
    ...PRACTICE,
    displayName: 'Dr Priya Shah',
    odsCode: 'B82005',
    practiceName: 'Riverside Medical Practice',
  });
});

test("the practice's answer brings the case back to triage, shown beside the earlier photograph", async ({ app }) => {
  const page = app.page;
  const sync = new SyncPage(page);
  const worklist = new WorklistPage(page);
  const view = new CasePage(page);
  const caseId = hub.caseIds[0]!;
  const syncNow = async (): Promise<void> => {
    await sync.syncButton.click();
    await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  };

  await sync.signIn(hub.hub.url, CONSULTANT.username, CONSULTANT.password);
  await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
  await syncNow();
  await worklist.row(caseId).click();

  // Ask for a dermoscopy image.
  await view.outcome('More information or better images needed').check();
  await page.getByRole('checkbox', { name: 'Dermoscopy image' }).check();
  await page.getByLabel('Exactly what the referrer should send').fill('Please add a dermoscopy image of the lesion.');
  await view.signButton.click();
  await view.confirmSign.click();
  await expect(view.signed).toContainText('More information or better images needed');
  await syncNow();
  await expect(page.getByTestId('decision-sync-state')).toHaveText('synced');
  await expect(worklist.row(caseId)).toHaveCount(0); // no longer to triage
  await worklist.filter('More info').click();
  await expect(worklist.row(caseId)).toContainText('Decided');
  await expect(worklist.row(caseId).getByTestId('row-answer')).toHaveCount(0);

  // The practice answers from its inbox.
  const answer = await practiceAnswers(hub.hub.url, PRACTICE, caseId, 'Dermoscopy attached, taken this morning.', [
    readFileSync(dermoscopyFixtures()[4]!),
  ]);
  expect(answer.status).toBe(200);
  await syncNow();

  // The case is still open: it shows the answer as soon as the sync stored it.
  const banner = page.getByTestId('answer-banner');
  await expect(banner).toContainText('Answer from the practice');
  await expect(banner).toContainText('1 new photograph');
  await expect(page.getByTestId('answer-note')).toHaveText('Dermoscopy attached, taken this morning.');
  const thumbs = page.getByTestId('image-thumb');
  await expect(thumbs).toHaveCount(2);
  await expect(thumbs.nth(1).getByTestId('image-new')).toBeVisible();
  await expect(thumbs.nth(0).getByTestId('image-new')).toHaveCount(0);
  // The new photograph opens beside the earlier one.
  await expect(thumbs.nth(0).getByRole('button')).toHaveAttribute('aria-pressed', 'true');
  await expect(thumbs.nth(1).getByRole('button')).toHaveAttribute('aria-pressed', 'true');

  await worklist.filter('To triage').click();
  const row = worklist.row(caseId);
  await expect(row.getByTestId('row-answer')).toHaveText('Answer from the practice');
  await expect(row).not.toContainText('Decided');

  // Decide again: a discharge, signed as the next version.
  await expect(page.getByRole('heading', { name: 'Decision after the answer' })).toBeVisible();
  await view.outcome('Discharge with advice and treatment plan to the GP').check();
  await view.diagnosisSearch.fill('seborrhoeic keratosis');
  await view.diagnosisOptions.first().click();
  await view.signButton.click();
  await view.confirmSign.click();
  await expect(view.signed).toContainText('Discharge with advice and treatment plan to the GP');
  await expect(view.signed).toContainText('amendment, version 2');
  await expect(page.getByTestId('answer-banner')).toHaveCount(0);
  await syncNow();
  await expect(page.getByTestId('decision-sync-state')).toHaveText('synced');

  const atHub = await hub.hub.admin.decisionsForCase(caseId);
  expect(atHub.map((d) => [d.decision.outcome.kind, d.decision.version])).toEqual([
    ['more-information', 1],
    ['discharge', 2],
  ]);
});
