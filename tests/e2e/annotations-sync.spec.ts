import { resolve } from 'node:path';
import { startHostServer } from '../host/host-server';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, openCore, signIn } from '../integration/sync-support';
import { chromium } from '@playwright/test';
import { expect, test } from './fixtures/desk-app';
import { specHub } from './fixtures/spec-hub';
import { SyncPage } from './pages/sync-page';
import { ViewerPage } from './pages/viewer-page';

/**
 * Annotations survive a reload and travel through the hub: drawn in the viewer after a real
 * sync, still there after the app restarts, sent on the next sync, and shown by the viewer of a
 * second, fresh workstation that downloaded the case.
 */
const hubs = specHub(1, 2);

test('annotations survive reload and sync', async ({ app, launchOptions }) => {
  test.setTimeout(120_000);
  const syncNow = async (): Promise<void> => {
    const sync = new SyncPage(app.page);
    // After a restart the test host remembers who signed in (cache) but not the token (memory).
    const signOut = app.page.getByRole('button', { name: 'Sign out' });
    await expect(sync.signInButton.or(signOut)).toBeVisible();
    if (await signOut.isVisible()) await signOut.click();
    await sync.signIn(hubs.hub.url, CONSULTANT.username, CONSULTANT.password);
    await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
    await app.page.keyboard.press('Control+Shift+S');
    await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  };
  const viewer = new ViewerPage(app.page);
  const openAndWait = async (): Promise<void> => {
    await viewer.openCase(hubs.caseIds[0] ?? '');
    await expect(viewer.stage).toHaveAttribute('data-sharp', 'true', { timeout: 30_000 });
  };

  await syncNow();
  await openAndWait();
  await viewer.key('a');
  await viewer.drag([0.3, 0.3], [0.5, 0.45]);
  await viewer.key('m');
  await viewer.drag([0.4, 0.6], [0.7, 0.6]);
  await expect(viewer.marks).toHaveCount(2);
  await expect(viewer.marks.nth(1)).toHaveText(/Measure \d+ px/);

  // Reload: the marks are in the local cache.
  await app.restart();
  await openAndWait();
  await expect(viewer.marks).toHaveCount(2);

  // Sync: the outbox sends them to the hub (the in-memory sign-in of the test host is gone).
  await app.restart();
  await syncNow();

  // A second, fresh workstation (its own core, cache and page) downloads the case with them,
  // and its viewer shows them.
  const dirB = makeTempDir('dermdesk-e2e-desk-b-');
  const b = openCore(dirB.path, undefined, { derive: true });
  const hostB = await startHostServer({ core: b, rendererDir: resolve(import.meta.dirname, '../../out/renderer') });
  // The second workstation's page runs in a browser of its own (an Electron app's context
  // cannot open pages), so the spec is the same on both targets.
  const browserB = await chromium.launch(launchOptions);
  try {
    await signIn(b, hubs.hub.url);
    await b.handlers['sync.run']({ claim: 0 });
    const [first] = (await b.handlers['images.forCase']({ caseId: hubs.caseIds[0] ?? '' })).images;
    const onB = await b.handlers['annotations.get']({ sha256: first?.sha256 ?? '' });
    expect(onB.doc?.shapes.map((s) => s.kind)).toEqual(['arrow', 'measure']);
    const pageB = await browserB.newPage();
    await pageB.goto(`${hostB.url}/#view=viewer&case=${hubs.caseIds[0]}&token=${hostB.token}`);
    const viewerB = new ViewerPage(pageB);
    await expect(viewerB.stage).toHaveAttribute('data-sharp', 'true', { timeout: 30_000 });
    await expect(viewerB.marks).toHaveCount(2);
    await expect(viewerB.marks.nth(0)).toHaveText(/Arrow/);
    await expect(viewerB.marks.nth(1)).toHaveText(/Measure \d+ px/);
  } finally {
    await browserB.close();
    await hostB.close();
    b.close();
    dirB.remove();
  }
});
