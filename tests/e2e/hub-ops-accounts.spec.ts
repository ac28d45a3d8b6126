import { expect, test } from '@playwright/test';
import { addOperator } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { HubSignIn } from './pages/hub-pages';

/**
 * The operator's Accounts section on /ops, in Chromium against a real hub: a bad ODS code is
 * shown by its field; a practice account is added (its temporary password shown once), then
 * deactivated, and the hub refuses its sign-in.
 */
let hub: TestHub;
const clock = new Date('2026-11-30T09:00:00Z');

test.use({ viewport: { width: 1280, height: 720 } });

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  hub = await startTestHub({ now: () => clock });
});
test.afterAll(async () => {
  await hub?.close();
});

test('the operator adds a practice account and deactivates it on the page', async ({ page }, info) => {
  const operator = await addOperator(hub);
  await page.goto(`${hub.url}/ops`);
  await new HubSignIn(page).signIn(operator.username, operator.password);
  const accounts = page.locator('#accounts');
  await expect(accounts.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  const form = page.locator('#account-form');

  await form.getByLabel('Kind of account').selectOption('gp-practice');
  await form.getByLabel('Username').fill('riverside.reception');
  await form.getByLabel('Name shown').fill('Reception, Riverside');
  await form.getByLabel('ODS code').fill('y0 4567');
  await form.getByLabel('Practice name').fill('Riverside Practice');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.locator('[data-error-for="odsCode"]')).toContainText('An ODS code is 3-10 capital letters');
  await expect(page.getByRole('row', { name: /riverside\.reception/ })).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('ops-accounts-bad-ods-1280x720.png') });

  await form.getByLabel('ODS code').fill('Y04567');
  await form.getByRole('button', { name: 'Add account' }).click();
  const receipt = page.locator('#account-password');
  await expect(receipt).toContainText('Added riverside.reception. Temporary password, shown once:');
  const temporary = (await receipt.locator('code').textContent())!;
  expect(temporary).toMatch(/^\S{20}$/);
  await expect(form.locator('[data-error-for="odsCode"]')).toBeHidden();
  const row = page.getByRole('row', { name: /riverside\.reception/ });
  await expect(row).toContainText('GP practice');
  await expect(row).toContainText('Riverside Practice (ODS Y04567)');
  await expect(row).toContainText('Active (password to choose)');
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('ops-accounts-added-1280x720.png') });

  await row.getByRole('button', { name: 'Deactivate: riverside.reception' }).click();
  await expect(row).toContainText('Deactivated');
  await expect(row.getByRole('button', { name: 'Reactivate: riverside.reception' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('ops-accounts-deactivated-1280x720.png') });

  // The hub itself holds it: the account is deactivated, and the change audited.
  const user = await hub.hub.admin.findUser('riverside.reception');
  expect(user!.deactivatedAt).toBeTruthy();
  const audit = await hub.hub.admin.doorAuditFor(user!.id);
  expect(audit.map((a) => a.action)).toEqual(['account.created', 'account.deactivated']);
});
