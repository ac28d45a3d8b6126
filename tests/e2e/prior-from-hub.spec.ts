import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseRecord } from '../../src/shared/domain/case';
import type { SignedDecision } from '../../src/shared/domain/decision';
import { CONSULTANT } from '../integration/sync-support';
import { dermoscopyFixtures } from '../support/fixtures';
import { hubFetch } from '../support/hub-fixture';
import { sampleCase, sampleDischarge, sampleNhsNumber } from '../support/sample-case';
import { daysBeforeTestStart } from '../support/test-clock';
import { expect, test } from './fixtures/desk-app';
import { specHub } from './fixtures/spec-hub';
import { SyncPage } from './pages/sync-page';
import { ViewerPage } from './pages/viewer-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * An earlier case this workstation never cached, sent by the hub with today's referral of the
 * same patient (issue 15): the consultant signs in with an empty cache, syncs, and sees it in the
 * list of earlier cases, marked read-only, with a colleague's decision; "Compare" puts its
 * photograph beside today's in the viewer, exactly as for an earlier case from the cache.
 */
const hub = specHub(0, 1);
const COLLEAGUE = { username: 'dr.earlier.e2e', password: 'an earlier colleague battery staple' };
const docsDir = resolve(import.meta.dirname, '../../docs/screenshots');
const photos = dermoscopyFixtures().map((f) => readFileSync(f));
let earlier: CaseRecord;
let today: CaseRecord;

async function refer(receivedAt: string, photo: Buffer, complaint: string): Promise<CaseRecord> {
  const patient = { ...sampleCase().patient, nhsNumber: sampleNhsNumber(6_660_001) };
  const c = sampleCase({ patient, referral: { receivedAt, presentingComplaint: complaint } });
  return hub.hub.admin.addCase({ ...c, images: [{ bytes: photo, kind: 'dermoscopy' }] });
}

test.beforeAll(async () => {
  const colleague = await hub.hub.admin.createUser({ ...COLLEAGUE, displayName: 'Dr Ada Earlier' });
  earlier = await refer(daysBeforeTestStart(110), photos[0]!, 'Scaly patch on the left forearm');
  // The colleague decided it on their own workstation: the decision reaches the hub's route.
  await hub.hub.admin.reassignCase(earlier.id, colleague.id);
  const login = await hubFetch(hub.hub.url, null, '/auth/login', { body: COLLEAGUE });
  const { token } = (await login.json()) as { token: string };
  const decision: SignedDecision = {
    ...sampleDischarge(),
    id: '5f1e0c1a-3b7d-4e8f-9a2b-6c4d8e0f1a2b',
    caseId: earlier.id,
    caseVersion: 1,
    version: 1,
    supersedes: null,
    signedBy: { id: colleague.id, displayName: 'Dr Ada Earlier' },
    signedAt: daysBeforeTestStart(108),
  };
  const put = await hubFetch(hub.hub.url, token, `/cases/${earlier.id}/decisions/${decision.id}`, {
    method: 'PUT',
    body: decision,
    headers: { 'idempotency-key': decision.id, 'if-match': '"1"' },
  });
  expect(put.status).toBe(201);
  today = await refer(daysBeforeTestStart(1), photos[1]!, 'The patch on the left forearm is back');
});

test.use({ viewport: { width: 1920, height: 1080 } });

test("an earlier case from the hub is listed read-only and compared beside today's image", async ({ app }, info) => {
  const page = app.page;
  const sync = new SyncPage(page);
  await sync.signIn(hub.hub.url, CONSULTANT.username, CONSULTANT.password);
  await sync.syncButton.click();
  await expect(sync.syncState).toHaveText('Synced', { timeout: 30_000 });
  const worklist = new WorklistPage(page);
  await expect(worklist.row(earlier.id)).toHaveCount(0); // never on the worklist
  await worklist.row(today.id).click();
  await new ViewerPage(page).waitSharp();

  const prior = page.getByTestId('prior-case');
  await expect(prior).toHaveCount(1);
  await expect(prior).toHaveAttribute('data-source', 'hub');
  await expect(prior).toContainText('From the hub · read-only');
  await expect(prior).toContainText('Discharge');
  await expect(prior).toContainText(`decided ${daysBeforeTestStart(108).slice(0, 10)} by Dr Ada Earlier`);
  await expect(prior).toContainText(`Plan: ${sampleDischarge().plan.firstLine}`);

  await prior.getByRole('button', { name: 'Compare with today’s images' }).click();
  const stages = page.getByTestId('viewer-stage');
  await expect(stages).toHaveCount(2);
  await expect(page.getByTestId('image-viewer').nth(0)).toHaveAttribute('data-sha256', today.images[0]!.sha256);
  await expect(page.getByTestId('image-viewer').nth(1)).toHaveAttribute('data-sha256', earlier.images[0]!.sha256);
  await expect(stages.nth(1)).toHaveAttribute('data-preview-drawn', 'true', { timeout: 20_000 });
  await expect(page.getByTestId('prior-outcome')).toContainText(
    `Earlier case received ${earlier.referral.receivedAt.slice(0, 10)}: Discharge`,
  );
  // Nothing to do to it but look: its row offers only opening its images and comparing.
  await expect(prior.getByRole('button')).toHaveText([/Scaly patch on the left forearm/, /Stop comparing|Compare/]);

  const shot = info.outputPath('prior-from-hub-1920.png');
  await page.screenshot({ path: shot });
  if (process.env['DERMDESK_SCREENSHOTS'] === '1')
    await page.screenshot({ path: join(docsDir, 'prior-from-hub-1920.png') });
});
