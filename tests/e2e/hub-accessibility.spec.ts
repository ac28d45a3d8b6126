import { expect, test } from '@playwright/test';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { addPractice, practiceLogin, sampleSubmission, type TestPractice } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { HubSignIn } from './pages/hub-pages';
import { seriousAxeViolations } from './pages/triage-data';

/** axe on the hub's pages: no serious or critical violations (labels, contrast, roles). */
let hub: TestHub;
let practice: TestPractice;

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub();
  practice = await addPractice(hub);
});
test.afterAll(async () => {
  await hub?.close();
});

test('the GP form, the inbox, the patient page and the feedback form pass axe', async ({ page }) => {
  await page.goto(`${hub.url}/gp`);
  await new HubSignIn(page).signIn(practice.username, practice.password);
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.goto(`${hub.url}/gp/inbox`);
  await expect(page.getByRole('heading', { name: 'Outcomes inbox' })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);

  const token = await practiceLogin(hub, practice);
  const s = sampleSubmission(61);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/patient-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'new-referral', draft: { patient: s.patient, clinician: s.clinician, referral } }),
  });
  const link = createLinkResponseSchema.parse(await res.json());
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${hub.url}${link.url}`);
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.goto(`${hub.url}/feedback`);
  expect(await seriousAxeViolations(page)).toEqual([]);
});
