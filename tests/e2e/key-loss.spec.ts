import { CONSULTANT } from '../integration/sync-support';
import { expect, test } from './fixtures/desk-app';
import { specHub } from './fixtures/spec-hub';
import { CasePage } from './pages/case-page';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * Key loss, as the consultant sees it: a decision signed while the hub is down, then the
 * keychain forgets the cache key. On restart a notice says the cache was set aside; after signing
 * in again it says the decision was delivered from the sealed journal, and the hub has it once.
 */
const hubs = specHub(1, 1);

test('after the cache key is lost, the consultant is told, and the offline decision reaches the hub once', async ({
  app,
}) => {
  const sync = new SyncPage(app.page);
  const worklist = new WorklistPage(app.page);
  const view = new CasePage(app.page);
  const notice = app.page.getByTestId('cache-recovery-notice');
  await expect(notice).toBeHidden();

  await sync.signIn(hubs.hub.url, CONSULTANT.username, CONSULTANT.password);
  await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
  await app.page.keyboard.press('Control+Shift+S');
  await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  await expect(worklist.rows).toHaveCount(1);

  // The hub goes away; the consultant signs a routine discharge from the keyboard.
  await hubs.stop();
  await worklist.list.focus();
  await app.page.keyboard.press('Enter');
  await expect(view.decisionForm).toBeVisible();
  await app.page.keyboard.press('d');
  await app.page.keyboard.press('t');
  await app.page.keyboard.type('seb ker');
  await app.page.keyboard.press('Enter');
  await app.page.keyboard.press('Control+Enter');
  await app.page.keyboard.press('Enter');
  await expect(view.signed).toBeVisible();
  await expect(app.page.getByTestId('pending-decisions')).toHaveText('1 decisions waiting to sync');

  // The keychain forgot the cache key.
  await app.restart({ loseCacheKey: true });
  await expect(notice).toContainText("This computer's keychain no longer opens the local cache");
  await expect(notice).toContainText('1 signed decision (and');
  await expect(notice).toContainText('sign in to deliver them to the hub');
  await expect(worklist.rows).toHaveCount(0);

  await hubs.restart();
  await sync.signIn(hubs.hub.url, CONSULTANT.username, CONSULTANT.password);
  await expect(notice).toContainText(
    '1 signed decision waiting to send was delivered to the hub from the sealed journal.',
  );
  const decided = await hubs.hub.admin.decisionsForCase(hubs.caseIds[0] ?? '');
  expect(decided).toHaveLength(1);
  expect(decided[0]?.decision.outcome.kind).toBe('discharge');

  await notice.getByRole('button', { name: 'Dismiss the local cache notice' }).click();
  await expect(notice).toBeHidden();
  // Cases sync again into the fresh cache.
  await app.page.keyboard.press('Control+Shift+S');
  await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
});
