import type { RunningHub } from '../../src/hub/start-hub';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, seedCases, seedConsultant, startTestHub } from '../integration/sync-support';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { CountingKeyboard } from './pages/counting-keyboard';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * The status bar tells the truth, against a real hub on loopback (through a proxy the test can
 * make fail): nobody signed in is not "offline"; a restart that lost the hub token offers sign-in,
 * not "Synced" and a Sync button that cannot work; "Sync failed" ends when the outbox delivers;
 * the open case shows its decision accepted without being reopened.
 */
let hub: RunningHub;
let proxy: FaultProxy;
let fault: Fault = { kind: 'pass' };
const hubDir = makeTempDir('dermdesk-e2e-status-hub-');

test.beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, 2, 1);
  proxy = await startFaultProxy(hub.url, () => fault);
});
test.afterAll(async () => {
  await proxy.close();
  await hub.close();
  hubDir.remove();
});

test('the status bar derives one truth from sign-in, token, last hub exchange and outbox', async ({ app }) => {
  test.setTimeout(480_000);
  fault = { kind: 'pass' };
  const sync = new SyncPage(app.page);
  const worklist = new WorklistPage(app.page);
  const view = new CasePage(app.page);

  // The hub is up and nobody is signed in: that is what the bar says.
  await expect(sync.syncState).toHaveText('Not signed in to the hub');
  await expect(sync.signInButton).toBeVisible();
  await expect(sync.syncButton).toHaveCount(0);

  await sync.signIn(proxy.url, CONSULTANT.username, CONSULTANT.password);
  await expect(sync.dialog).toBeHidden();
  await expect(sync.syncState).toHaveText('Signed in: not synced yet');
  await sync.syncButton.click();
  await expect(sync.syncState).toHaveText('Synced', { timeout: 60_000 });
  await expect(worklist.rows).toHaveCount(2, { timeout: 30_000 });

  // The hub fails every request: a sync says so, and so does the outbox's first attempt.
  fault = { kind: 'status', status: 503, message: 'maintenance' };
  await worklist.rows.first().click();
  await expect(view.decisionForm).toBeVisible({ timeout: 30_000 });
  await app.page.locator('#case-pane').focus();
  const kb = new CountingKeyboard(app.page);
  await kb.press('d');
  await kb.press('t');
  await kb.type('sk');
  await kb.press('Enter');
  await kb.press('Control+Enter');
  await kb.press('Enter');
  await expect(view.signed).toBeVisible({ timeout: 60_000 });
  await expect(app.page.getByTestId('decision-sync-state')).toHaveText('pending', { timeout: 30_000 });
  await sync.syncButton.click();
  await expect(sync.syncState).toHaveText('Sync failed', { timeout: 30_000 });
  await expect(app.page.getByTestId('sync-error')).toBeVisible();

  // The hub recovers; nobody presses Sync. The outbox worker delivers on its own schedule, and
  // the bar and the still-open case follow.
  // (Its exponential backoff after the failed attempts can be a couple of minutes on a busy machine.)
  fault = { kind: 'pass' };
  await expect(app.page.getByTestId('decision-sync-state')).toHaveText('synced', { timeout: 240_000 });
  await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  await expect(app.page.getByTestId('sync-error')).toHaveCount(0);
  await expect(app.page.getByTestId('pending-decisions')).toContainText('0 decisions');

  // A restart of the test host forgets the hub token (its keychain is memory): the workstation
  // still knows the consultant, so it asks them to sign in again and offers no Sync button.
  const page = await app.restart();
  const again = new SyncPage(page);
  await expect(again.syncState).toHaveText('Signed out of the hub: sign in again to sync', { timeout: 30_000 });
  await expect(again.signInAgainButton).toBeVisible();
  await expect(again.signOutButton).toBeVisible();
  await expect(again.syncButton).toHaveCount(0);
});
