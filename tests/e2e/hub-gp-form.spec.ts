import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { addPractice, practiceLogin, type TestPractice } from '../support/doors-fixture';
import { dermoscopyFixtures } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleNhsNumber } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { GpReferralForm, HubSignIn } from './pages/hub-pages';

/** The GP web form served by the hub, in Debian Chromium, against a real hub on loopback. */

let hub: TestHub;
let practice: TestPractice;
const files = makeTempDir('dermdesk-hub-images-');
const sharpImage = dermoscopyFixtures()[1]!;
const closeUp = dermoscopyFixtures()[2]!;
const blurred = join(files.path, 'blurred.jpg');
const dark = join(files.path, 'dark.jpg');

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub();
  practice = await addPractice(hub);
  // A shaken camera and a dim room, made from a real dermoscopy image.
  writeFileSync(blurred, await sharp(readFileSync(sharpImage)).blur(5).jpeg().toBuffer());
  writeFileSync(dark, await sharp(readFileSync(sharpImage)).linear(0.12, 0).jpeg().toBuffer());
});
test.afterAll(async () => {
  await hub?.close();
  files.remove();
});

for (const device of [
  { name: 'practice PC', viewport: { width: 1366, height: 768 }, hasTouch: false },
  { name: 'tablet', viewport: { width: 820, height: 1180 }, hasTouch: true },
]) {
  test.describe(`on a ${device.name}`, () => {
    test.use({ viewport: device.viewport, hasTouch: device.hasTouch });

    test('asks for a retake of a blurred or dark photograph, shows field errors, then sends the referral', async ({
      page,
    }) => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
      });
      const response = await page.goto(`${hub.url}/gp`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await new HubSignIn(page).signIn(practice.username, practice.password);
      const form = new GpReferralForm(page);
      await expect(page.getByRole('heading', { name: 'New teledermatology referral' })).toBeVisible();

      // A wrong check digit, no site, no photographs, no consent: every error at once.
      const nhs = sampleNhsNumber(9100 + device.viewport.width);
      const wrong = nhs.slice(0, 9) + String((Number(nhs[9]) + 1) % 10);
      // And the given name left empty: the errors read as plain English from the hub's one
      // message table (src/shared/hub-api/field-messages.ts), never the validator's own words.
      await form.fillPatientAndReferral({ nhsNumber: wrong, dateOfBirth: '1948-02-29' });
      await page.getByLabel('Given name').fill('');
      await form.send();
      const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
      await expect(summary).toBeVisible();
      await expect(summary).toContainText('check digit');
      await expect(summary).toContainText("Enter the patient's given name");
      await expect(summary).toContainText('Choose the lesion site on the body map');
      await expect(summary).toContainText('Add at least one photograph');
      await expect(summary).toContainText('consent');
      await expect(summary).not.toContainText('Too small');
      await expect(summary).not.toContainText('expected');
      await expect(page.locator('[data-error-for="patient.nhsNumber"]')).toContainText('check digit');
      await expect(page.locator('[data-error-for="patient.givenName"]')).toHaveText("Enter the patient's given name");
      await page.getByLabel('Given name').fill('Mary');

      await page.getByLabel('NHS number').fill(nhs);
      // The body map: tap the back of the left forearm.
      const region = page.getByRole('button', { name: 'Left forearm (back)' });
      if (device.hasTouch) await region.tap();
      else await region.click();
      await expect(page.getByLabel('Lesion site', { exact: true })).toHaveValue('left-forearm-posterior');
      await page.getByLabel('Site detail').fill('Mid third');

      // Blurred: the check asks for a retake; retaking opens the camera/file chooser again.
      await form.addImage('overview', blurred);
      await expect(form.retakePrompt()).toBeVisible();
      await expect(form.retakePrompt()).toContainText('Please take this photograph again');
      await expect(form.retakePrompt()).toContainText('Blurred');
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Retake photograph' }).click();
      await (await chooser).setFiles(sharpImage);
      await expect(page.locator('#image-check')).toContainText('Photograph added');
      await expect(form.images()).toHaveCount(1);

      // Dark: a retake is asked for again; this time the GP keeps it, and it is marked.
      await form.addImage('close-up', dark);
      await expect(form.retakePrompt()).toContainText('Too dark');
      await page.getByRole('button', { name: 'Use this one anyway' }).click();
      await expect(form.images()).toHaveCount(2);
      await expect(form.images().nth(1)).toContainText('kept despite: too-dark');
      await page.getByRole('button', { name: /Remove close-up photograph 2/ }).click();
      await form.addImage('close-up', closeUp);
      await expect(form.images()).toHaveCount(2);

      await page.getByLabel(/The patient consents to this referral/).check();
      // Each photograph goes to the streamed upload door as its own bytes; the referral cites them.
      const uploads: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/v1/uploads/photos'))
          uploads.push(r.headers()['content-type'] ?? '');
      });
      const referralSent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/intake/referrals'));
      // On the PC the GP sends with Ctrl+Enter from a field; on the tablet by tapping the button.
      if (device.hasTouch) await page.getByRole('button', { name: 'Send referral' }).tap();
      else await page.getByLabel('Allergies').press('Control+Enter');
      const receipt = page.getByRole('status').filter({ hasText: 'Referral sent' });
      await expect(receipt).toBeVisible();
      await expect(receipt).toContainText('2 photograph(s)');
      expect(uploads).toEqual(['image/jpeg', 'image/jpeg']);
      const cited = JSON.parse((await referralSent).postData() ?? '{}') as { images: Record<string, string>[] };
      expect(cited.images.map((i) => Object.keys(i).sort())).toEqual([
        ['kind', 'uploadId'],
        ['kind', 'uploadId'],
      ]);

      // No horizontal scrolling on this screen, and the CSP blocked nothing of ours.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(violations).toEqual([]);

      // The hub holds the referral exactly as entered.
      const token = await practiceLogin(hub, practice);
      const inbox = inboxResponseSchema.parse(
        await (
          await fetch(`${hub.url}${HUB_API_PREFIX}/practice/inbox`, { headers: { authorization: `Bearer ${token}` } })
        ).json(),
      );
      const item = inbox.items.find((i) => i.patient.nhsNumber === nhs);
      expect(item?.presentingComplaint).toBe('Changing mole on the left forearm');
      expect(item?.status).toBe('open');
    });
  });
}
