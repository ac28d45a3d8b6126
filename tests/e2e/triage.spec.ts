import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { caseReceived, consultant, patient, readCache } from './pages/triage-data';
import { CountingKeyboard } from './pages/counting-keyboard';
import { WorklistPage } from './pages/worklist-page';

test.describe('keyboard-first triage', () => {
  test('a routine discharge with a template, from the top of the worklist, in at most 8 real key presses and no mouse', async ({
    app,
  }) => {
    const first = caseReceived(2, { patient: patient('Keys', 'Kim', 41) });
    const second = caseReceived(0, { patient: patient('Later', 'Lee', 42) });
    await app.seed([first, second], { consultant });
    const worklist = new WorklistPage(app.page);
    const view = new CasePage(app.page);
    await expect(worklist.list).toBeFocused();
    await expect(worklist.selected()).toHaveAttribute('data-case-id', first.id);

    // Every key a person presses is counted: "sk" is two presses, a chord is one.
    const kb = new CountingKeyboard(app.page);
    await kb.press('Enter', 'open the case at the top of the worklist');
    await expect(view.decisionForm).toBeVisible();
    await kb.press('d', 'outcome: discharge with advice to the GP');
    await kb.press('t', 'to the diagnosis picker');
    await kb.type('sk', 'abbreviation of seborrhoeic keratosis');
    await expect(view.diagnosisOptions.first()).toContainText('Seborrhoeic keratosis');
    await kb.press('Enter', 'pick: brings the plan template and the BAD leaflet');
    await expect(app.page.getByTestId('diagnosis-chosen')).toContainText('Seborrhoeic keratosis');
    await kb.press('Control+Enter', 'sign');
    await kb.press('Enter', 'confirm');
    await expect(view.signed).toContainText('Discharge with advice and treatment plan to the GP');
    console.log(
      `[keystrokes] routine discharge with a template, first case: ${kb.count} key presses (budget 8)\n${kb.transcript()}`,
    );
    expect(kb.count).toBeLessThanOrEqual(8);

    const stored = readCache(app, (db) =>
      db.prepare('SELECT decision_json FROM decisions WHERE case_id = ?').get(first.id),
    ) as { decision_json: string };
    const decision = JSON.parse(stored.decision_json) as {
      outcome: { kind: string };
      diagnosis: { label: string };
      plan: { safetyNetting: string; leaflets: Array<{ url: string }> };
    };
    expect(decision.outcome.kind).toBe('discharge');
    expect(decision.diagnosis.label).toBe('Seborrhoeic keratosis');
    expect(decision.plan.safetyNetting).toMatch(/See your GP/);
    expect(decision.plan.leaflets[0]?.url).toMatch(/^https:\/\/www\.skinhealthinfo\.org\.uk\//);

    // The next case: the picker now offers this consultant's habit first, so nothing is typed.
    const next = new CountingKeyboard(app.page);
    await next.press('n', 'next case');
    await expect(view.view).toContainText('LATER, Lee');
    await next.press('d', 'outcome: discharge');
    await next.press('t', 'to the diagnosis picker');
    await expect(view.diagnosisOptions.first()).toContainText('Seborrhoeic keratosis');
    await next.press('Enter', "pick the consultant's most frequent diagnosis");
    await expect(app.page.getByTestId('diagnosis-chosen')).toContainText('Seborrhoeic keratosis');
    await next.press('Control+Enter', 'sign');
    await next.press('Enter', 'confirm');
    await expect(view.signed).toContainText('Discharge with advice and treatment plan to the GP');
    console.log(`[keystrokes] the same discharge once it is a habit: ${next.count} key presses\n${next.transcript()}`);
    expect(next.count).toBeLessThanOrEqual(6);
  });

  test('Enter in an empty diagnosis picker picks nothing until the consultant has a habit', async ({ app }) => {
    const c = caseReceived(1, { patient: patient('Empty', 'Ed', 47) });
    await app.seed([c], { consultant });
    const view = new CasePage(app.page);
    await new WorklistPage(app.page).row(c.id).click();
    await expect(view.decisionForm).toBeVisible();
    await view.diagnosisSearch.focus();
    await app.page.keyboard.press('Enter');
    await expect(app.page.getByTestId('diagnosis-chosen')).toHaveCount(0);
    // "naev" + Enter: the ordinary mole, not the rare large congenital naevus.
    await view.diagnosisSearch.focus();
    for (const ch of 'naev') await app.page.keyboard.press(ch);
    await app.page.keyboard.press('Enter');
    await expect(app.page.getByTestId('diagnosis-chosen')).toContainText('Melanocytic naevus (mole)');
  });

  test('the shortcuts sheet lists the shortcuts; the command palette runs commands', async ({ app }) => {
    const overdue = caseReceived(20, { patient: patient('Late', 'Larry', 43) });
    await app.seed([overdue, caseReceived(0, { patient: patient('New', 'Nia', 44) })], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.rows).toHaveCount(2);
    await app.page.keyboard.press('?');
    const sheet = app.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toContainText('Sign the decision');
    await expect(sheet).toContainText('Ctrl+K');
    await app.page.keyboard.press('Escape');
    await expect(sheet).toHaveCount(0);

    await app.page.keyboard.press('Control+k');
    await app.page.keyboard.type('filter overdue');
    await app.page.keyboard.press('Enter');
    await expect(worklist.rows).toHaveCount(1);
    await expect(worklist.filter('Overdue')).toHaveAttribute('aria-pressed', 'true');

    await app.page.keyboard.press('/');
    await expect(worklist.search).toBeFocused();
  });

  test('j/k move through the list and n opens the next case after signing', async ({ app }) => {
    const a = caseReceived(3, { patient: patient('Alpha', 'Ann', 45) });
    const b = caseReceived(1, { patient: patient('Beta', 'Bob', 46) });
    await app.seed([a, b], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.list).toBeFocused();
    await app.page.keyboard.press('j');
    await expect(worklist.selected()).toHaveAttribute('data-case-id', b.id);
    await app.page.keyboard.press('k');
    await expect(worklist.selected()).toHaveAttribute('data-case-id', a.id);
    await app.page.keyboard.press('Enter');
    const view = new CasePage(app.page);
    await expect(view.decisionForm).toBeVisible();
    await app.page.keyboard.press('x');
    await app.page.keyboard.press('Control+Enter');
    await app.page.keyboard.press('Enter');
    await expect(view.signed).toBeVisible();
    await app.page.keyboard.press('n');
    await expect(view.view).toContainText('BETA, Bob');
  });
});
