import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import {
  addPractice,
  consultantDecides,
  fixtureBase64,
  practiceLogin,
  sampleSubmission,
  type TestPractice,
} from '../support/doors-fixture';
import { sampleDischarge } from '../support/sample-case';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { TEST_CLOCK_START } from '../support/test-clock';
import { pdfTextOf } from '../support/pdf-text';
import { HubSignIn } from './pages/hub-pages';

/**
 * The patient's link page after the outcome is signed, on a small phone (375x812), against a real
 * hub: the practice opted in, so the used link shows the outcome in plain words and the feedback
 * form, which the patient sends. Before signing the same link says only that it was used.
 */
let hub: TestHub;
let practice: TestPractice;
let clock = new Date(TEST_CLOCK_START);

test.use({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true });

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub({ now: () => clock });
  practice = await addPractice(hub);
  await hub.hub.admin.setPracticeSettings({
    odsCode: practice.odsCode,
    mailbox: null,
    failsafeWorkingDays: 2,
    patientCopy: true,
  });
});
test.afterAll(async () => {
  await hub?.close();
});

/** A link the patient has used (photographs sent through its API), and the case it made. */
async function usedLink(seed: number): Promise<{ url: string; caseId: string }> {
  const practiceToken = await practiceLogin(hub, practice);
  const s = sampleSubmission(seed);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const created = await post(
    '/practice/patient-links',
    { kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } },
    practiceToken,
  );
  const link = createLinkResponseSchema.parse(await created.json());
  const sent = await post(`/patient-links/${link.token}/submit`, {
    consent: true,
    dateOfBirth: s.patient.dateOfBirth,
    symptoms: 'It has grown this year.',
    images: [{ kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) }],
  });
  expect(sent.status).toBe(200);
  const inbox = inboxResponseSchema.parse(
    await (
      await fetch(`${hub.url}${HUB_API_PREFIX}/practice/inbox`, {
        headers: { authorization: `Bearer ${practiceToken}` },
      })
    ).json(),
  );
  return { url: link.url, caseId: inbox.items.find((i) => i.patient.nhsNumber === s.patient.nhsNumber)!.caseId };
}

test('after signing, the patient reads the outcome in plain words on a phone and sends feedback', async ({
  page,
}, info) => {
  const { url, caseId } = await usedLink(41);

  // Before the decision: nothing about an outcome.
  await page.goto(`${hub.url}${url}`);
  await expect(page.getByRole('alert')).toContainText('This link has already been used');
  await expect(page.getByText('What the skin specialist decided')).toHaveCount(0);

  clock = new Date(clock.getTime() + 26 * 3_600_000);
  await consultantDecides(
    hub,
    await hub.login(),
    caseId,
    sampleDischarge({ outcome: { kind: 'suspected-cancer-pathway' } }),
    null,
    clock,
  );

  await page.goto(`${hub.url}${url}`);
  await expect(page.getByRole('heading', { level: 1, name: 'What happens next' })).toBeVisible();
  const outcome = page.getByRole('region', { name: 'What the skin specialist decided' });
  await expect(outcome).toContainText('The skin specialist would like to see you urgently, within two weeks.');
  await expect(outcome).toContainText('Your GP practice will contact you to explain why and what happens next.');
  await expect(outcome).toContainText('contact your GP practice');
  await expect(outcome).not.toContainText(/cancer|pathway|seborrhoeic/i);
  // Fits the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: info.outputPath('patient-outcome-375x812.png'), fullPage: true });

  const feedback = page.getByRole('region', { name: 'Tell us how this went' });
  await feedback.getByLabel('4').check();
  await feedback.getByLabel('Comments').fill('Quick and clear, thank you.');
  await feedback.getByRole('button', { name: 'Send feedback' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'Thank you for your feedback.' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('patient-outcome-feedback-sent-375x812.png'), fullPage: true });

  // The feedback reached the hub as a patient's, with no identity.
  const operator = await hub.hub.admin.createUser({
    username: 'ops-outcome',
    password: 'ops outcome battery staple',
    displayName: 'Operator',
    role: 'admin',
  });
  expect(operator.role).toBe('admin');
  const opsToken = await hub.login({ username: 'ops-outcome', password: 'ops outcome battery staple' });
  const report = (await (
    await fetch(`${hub.url}${HUB_API_PREFIX}/feedback`, { headers: { authorization: `Bearer ${opsToken}` } })
  ).json()) as { rows: Array<{ source: string; rating: number; comment: string; odsCode: string | null }> };
  expect(report.rows).toContainEqual(
    expect.objectContaining({ source: 'patient', rating: 4, comment: 'Quick and clear, thank you.', odsCode: null }),
  );
});

test.describe("the practice's inbox", () => {
  test.use({ viewport: { width: 1280, height: 720 }, hasTouch: false, isMobile: false });

  test("offers the patient's plain-language copy only while the practice is opted in", async ({ page }) => {
    const { caseId } = await usedLink(43);
    clock = new Date(clock.getTime() + 3_600_000);
    await consultantDecides(
      hub,
      await hub.login(),
      caseId,
      sampleDischarge({ outcome: { kind: 'urgent-face-to-face', mode: 'in-person' } }),
      null,
      clock,
    );
    await page.goto(`${hub.url}/gp/inbox`);
    await new HubSignIn(page).signIn(practice.username, practice.password);
    const item = page.locator(`[data-case-id="${caseId}"]`);
    await expect(item).toContainText('Outcome received');
    const download = page.waitForEvent('download');
    await item.getByRole('button', { name: "Download patient's copy (PDF)" }).click();
    const { text } = await pdfTextOf(readFileSync((await (await download).path())!));
    expect(text).toContain('Your skin photographs: what happens next');
    expect(text).toContain('The skin specialist would like to see you soon, at a hospital skin clinic.');

    await hub.hub.admin.setPracticeSettings({
      odsCode: practice.odsCode,
      mailbox: null,
      failsafeWorkingDays: 2,
      patientCopy: false,
    });
    await page.reload();
    await expect(item.getByRole('button', { name: 'Download letter (PDF)' })).toBeVisible();
    await expect(item.getByRole('button', { name: "Download patient's copy (PDF)" })).toHaveCount(0);
  });
});
