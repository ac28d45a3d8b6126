import type { RunningHub } from '../../src/hub/start-hub';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, seedCases, seedConsultant, startTestHub } from '../integration/sync-support';
import { expect, test } from './fixtures/desk-app';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * The consultant signs in to a real hub (on loopback), syncs with the keyboard shortcut and
 * watches the progress bar; the worklist fills with the downloaded cases. A slow link (the
 * proxy delays each image) keeps the progress visible long enough to see.
 */
let hub: RunningHub;
let proxy: FaultProxy;
const hubDir = makeTempDir('dermdesk-e2e-hub-');

test.beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, 6, 3);
  proxy = await startFaultProxy(hub.url, (r) =>
    r.path.includes('/images/') ? { kind: 'delay', ms: 1500 } : { kind: 'pass' },
  );
});
test.afterAll(async () => {
  await proxy.close();
  await hub.close();
  hubDir.remove();
});

test('signs in to the hub, syncs with a visible progress bar, and the worklist fills', async ({ app }) => {
  const sync = new SyncPage(app.page);
  const worklist = new WorklistPage(app.page);
  await expect(sync.consultant).toHaveText('Not signed in');

  await sync.signIn(proxy.url, CONSULTANT.username, CONSULTANT.password);
  await expect(sync.dialog).toBeHidden();
  await expect(sync.consultant).toHaveText(CONSULTANT.displayName);

  await app.page.keyboard.press('Control+Shift+S');
  await expect(sync.progress).toBeVisible();
  await expect(sync.progressText).toContainText(/\d+\/6 cases · .* of .*MB/);
  await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  await expect(sync.progress).toBeHidden();
  await expect(worklist.rows).toHaveCount(6);
});

test('a wrong password is a clear error in the dialog, and nothing is stored', async ({ app }) => {
  const sync = new SyncPage(app.page);
  await sync.signIn(proxy.url, CONSULTANT.username, 'not the password');
  await expect(sync.dialog.getByRole('alert')).toContainText(/Sign-in failed/);
  await expect(sync.consultant).toHaveText('Not signed in');
});
