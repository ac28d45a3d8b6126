import { expect, test } from '@playwright/test';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { addPractice, practiceLogin, sampleSubmission, type TestPractice } from '../support/doors-fixture';
import { dermoscopyFixtures } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { TEST_CLOCK_START } from '../support/test-clock';

/** The patient's remote link on a phone-sized screen, against a real hub with a movable clock. */
let hub: TestHub;
let practice: TestPractice;
let clock = new Date(TEST_CLOCK_START);

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub({ now: () => clock });
  practice = await addPractice(hub);
});
test.afterAll(async () => {
  await hub?.close();
});

async function createLink(seed: number, days = 7) {
  const token = await practiceLogin(hub, practice);
  const s = sampleSubmission(seed);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/patient-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'new-referral',
      draft: { patient: s.patient, clinician: s.clinician, referral },
      days,
    }),
  });
  expect(res.status).toBe(201);
  return { link: createLinkResponseSchema.parse(await res.json()), patient: s.patient, practiceToken: token };
}

test('a patient consents, photographs and sends from a phone; the link is then spent', async ({ page }) => {
  const { link, patient, practiceToken } = await createLink(31);
  await page.goto(`${hub.url}${link.url}`);
  await expect(page.getByRole('heading', { name: 'Send photographs of your skin' })).toBeVisible();
  const how = page.getByRole('region', { name: 'How to take the photographs' });
  await expect(how).toContainText('coin or a ruler');
  await expect(how).toContainText('Overview');
  await expect(how).toContainText('Close-up');
  await expect(how).toContainText('tap the mark on the screen to focus');
  await expect(how).toContainText('Good light');

  await page.getByLabel('Your date of birth').fill(patient.dateOfBirth);
  await page.getByLabel('Which photograph is this?').selectOption('overview');
  await page.locator('#image-file').setInputFiles(dermoscopyFixtures()[0]!);
  await expect(page.locator('#image-check')).toContainText('Photograph added');
  await page.getByLabel('Which photograph is this?').selectOption('close-up');
  await page.locator('#image-file').setInputFiles(dermoscopyFixtures()[3]!);
  await expect(page.getByRole('list', { name: 'Photographs to send' }).getByRole('listitem')).toHaveCount(2);
  await page.getByLabel(/How long has it been there/).fill('About a year; it itches at night.');

  // Each photograph goes to the link's streamed upload door once, as its own bytes.
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/photos')) uploads.push(r.headers()['content-type'] ?? '');
  });
  // Without consent nothing is sent.
  await page.getByRole('button', { name: 'Send photographs' }).tap();
  await expect(page.locator('[data-error-for="consent"]')).toHaveText(
    'Tick the box to agree to send your photographs to the clinic',
  );
  await page.getByLabel(/I agree to send these photographs/).check();
  await page.getByRole('button', { name: 'Send photographs' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();
  expect(uploads).toHaveLength(2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The same link again: refused, with what to do next.
  await page.goto(`${hub.url}${link.url}`);
  await expect(page.getByRole('alert')).toContainText('This link has already been used');
  await expect(page.getByRole('button', { name: 'Send photographs' })).toHaveCount(0);

  // The practice sees the referral, with the patient's consent and words.
  const inbox = inboxResponseSchema.parse(
    await (
      await fetch(`${hub.url}${HUB_API_PREFIX}/practice/inbox`, {
        headers: { authorization: `Bearer ${practiceToken}` },
      })
    ).json(),
  );
  expect(inbox.items.map((i) => i.patient.nhsNumber)).toContain(patient.nhsNumber);
});

test('an expired link is refused and says to ask the practice for a new one', async ({ page }) => {
  const { link } = await createLink(32, 1);
  clock = new Date(clock.getTime() + 25 * 3_600_000);
  const response = await page.goto(`${hub.url}${link.url}`);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole('alert')).toContainText('This link has expired');
  await expect(page.getByRole('alert')).toContainText('Ask your GP practice to send you a new one');
  await expect(page.getByLabel('Your date of birth')).toHaveCount(0);
});

test('a link used in another tab meanwhile is refused at submit', async ({ page }) => {
  const { link, patient } = await createLink(33);
  await page.goto(`${hub.url}${link.url}`);
  // The same link is spent elsewhere (another tab, another phone) before this page submits.
  const elsewhere = await fetch(`${hub.url}${HUB_API_PREFIX}/patient-links/${link.token}/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      consent: true,
      dateOfBirth: patient.dateOfBirth,
      symptoms: '',
      images: [{ kind: 'overview', mediaType: 'image/jpeg', data: sampleSubmission(33).images[0]!.data }],
    }),
  });
  expect(elsewhere.status).toBe(200);
  await page.getByLabel('Your date of birth').fill(patient.dateOfBirth);
  await page.locator('#image-file').setInputFiles(dermoscopyFixtures()[0]!);
  await expect(page.locator('#image-check')).toContainText('This link has already been used');
});
