import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { caseReceived, consultant, patient, readCache, seriousAxeViolations } from './pages/triage-data';
import { WorklistPage } from './pages/worklist-page';

test.describe('case view', () => {
  test('shows the referral as a consultant reads it and audits the view', async ({ app }) => {
    const earlier = caseReceived(200, {
      patient: { ...patient('Lovelace', 'Ada', 31), nhsNumber: '9434765919' },
      referral: { presentingComplaint: 'Earlier mole check' },
    });
    const current = caseReceived(0, { patient: earlier.patient });
    await app.seed([earlier, current], { consultant });
    const worklist = new WorklistPage(app.page);
    await worklist.filter('All').click();
    await worklist.row(current.id).click();
    const view = new CasePage(app.page);
    await expect(view.view).toContainText('LOVELACE, Ada');
    await expect(app.page.getByTestId('nhs-number')).toContainText('943 476 5919');
    await expect(app.page.getByTestId('nhs-number')).toContainText('valid');
    await expect(view.view).toContainText('Changing pigmented lesion on the left forearm');
    await expect(view.view).toContainText('Posterior left forearm, mid third');
    // The site on the same body map the GP used: exactly the left forearm, seen from the back.
    const bodyMap = app.page.getByTestId('body-map');
    await expect(bodyMap.getByRole('img', { name: 'Body map: Left forearm (back)' })).toBeVisible();
    await expect(bodyMap.locator('[data-chosen="true"]')).toHaveCount(1);
    await expect(bodyMap.locator('[data-chosen="true"]')).toHaveAttribute('data-region', 'left-forearm-posterior');
    await expect(view.view).toContainText('fair skin, history of sunburn');
    await expect(view.view).toContainText('Recorded');
    await app.page.getByRole('button', { name: /Earlier mole check/ }).click();
    await expect(app.page.getByRole('button', { name: /Earlier mole check/ })).toHaveAttribute('aria-expanded', 'true');
    const audits = readCache(app, (db) =>
      db.prepare(`SELECT actor FROM audit_log WHERE action = 'case.viewed' AND case_id = ?`).all(current.id),
    );
    expect(audits).toEqual([{ actor: consultant.id }]);
  });

  test('an NHS number failing Modulus 11 is flagged', async ({ app }) => {
    const c = caseReceived(0, { patient: { ...patient('Check', 'Digit', 32), nhsNumber: '9434765918' } });
    await app.seed([c], { consultant });
    await new WorklistPage(app.page).row(c.id).click();
    await expect(app.page.getByTestId('nhs-number')).toContainText('check digit invalid');
  });

  test('consent gate: without recorded consent the decision form is locked and says why', async ({ app }) => {
    const c = caseReceived(0, { referral: { consent: null } });
    await app.seed([c], { consultant });
    await new WorklistPage(app.page).row(c.id).click();
    const view = new CasePage(app.page);
    await expect(view.consentGate).toContainText('Decision locked: no recorded consent');
    await expect(view.decisionForm).toHaveCount(0);
    await app.page.locator('#case-pane').focus();
    await app.page.keyboard.press('d');
    await app.page.keyboard.press('Control+Enter');
    await expect(app.page.getByRole('alertdialog')).toHaveCount(0);
    expect(readCache(app, (db) => db.prepare('SELECT COUNT(*) AS n FROM decisions').get())).toEqual({ n: 0 });
  });

  test('accessibility: no serious or critical axe violations on the case view and decision form', async ({ app }) => {
    const c = caseReceived(0, { referral: { priority: 'suspected-cancer' } });
    await app.seed([c], { consultant });
    await new WorklistPage(app.page).row(c.id).click();
    const view = new CasePage(app.page);
    await expect(view.decisionForm).toBeVisible();
    await view.outcome(/^Discharge/).check();
    await expect(view.downgradeAdvice).toBeVisible();
    await app.page.getByRole('button', { name: 'Use the 7-point checklist (7)' }).click();
    expect(await seriousAxeViolations(app.page)).toEqual([]);
  });
});
