import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { caseReceived, consultant, patient, readCache } from './pages/triage-data';
import { WorklistPage } from './pages/worklist-page';

/** Counts every keyboard call: each press (a chord like Control+Enter is one) and each type. */
function countingKeyboard(page: Page): {
  press: (key: string) => Promise<void>;
  type: (text: string) => Promise<void>;
  count: () => number;
} {
  let n = 0;
  return {
    press: async (key) => {
      n++;
      await page.keyboard.press(key);
    },
    type: async (text) => {
      n++;
      await page.keyboard.type(text);
    },
    count: () => n,
  };
}

test.describe('keyboard-first triage', () => {
  test('a routine discharge with a template, from the worklist, in at most 8 keystrokes and no mouse', async ({
    app,
  }) => {
    const first = caseReceived(2, { patient: patient('Keys', 'Kim', 41) });
    const second = caseReceived(0, { patient: patient('Later', 'Lee', 42) });
    await app.seed([first, second], { consultant });
    const worklist = new WorklistPage(app.page);
    const view = new CasePage(app.page);
    await expect(worklist.list).toBeFocused();
    await expect(worklist.selected()).toHaveAttribute('data-case-id', first.id);

    const kb = countingKeyboard(app.page);
    await kb.press('Enter'); // open the most urgent case
    await expect(view.decisionForm).toBeVisible();
    await kb.press('d'); // outcome: discharge
    await kb.press('t'); // diagnosis picker
    await kb.type('seb ker');
    await kb.press('Enter'); // pick: brings the plan template and the BAD leaflet
    await expect(app.page.getByTestId('diagnosis-chosen')).toContainText('Seborrhoeic keratosis');
    await kb.press('Control+Enter'); // sign…
    await kb.press('Enter'); // …confirmed
    await expect(view.signed).toContainText('Discharge with advice and treatment plan to the GP');

    expect(kb.count()).toBeLessThanOrEqual(8);
    console.log(`[keystroke budget] routine discharge with a template: ${kb.count()} keystrokes (budget 8)`);
    const stored = readCache(app, (db) =>
      db.prepare('SELECT decision_json FROM decisions WHERE case_id = ?').get(first.id),
    ) as { decision_json: string };
    const decision = JSON.parse(stored.decision_json) as {
      outcome: { kind: string };
      plan: { safetyNetting: string; leaflets: Array<{ url: string }> };
    };
    expect(decision.outcome.kind).toBe('discharge');
    expect(decision.plan.safetyNetting).toMatch(/See your GP/);
    expect(decision.plan.leaflets[0]?.url).toMatch(/^https:\/\/www\.skinhealthinfo\.org\.uk\//);
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
