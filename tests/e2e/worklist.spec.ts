import { expect, test } from './fixtures/desk-app';
import { WorklistPage } from './pages/worklist-page';
import { caseReceived, consultant, patient, seriousAxeViolations } from './pages/triage-data';

test.describe('worklist', () => {
  test('most urgent first; suspected cancer and overdue are unmistakable', async ({ app }) => {
    const routine = caseReceived(0, { patient: patient('Routine', 'Rita', 11) });
    const overdue = caseReceived(20, { patient: patient('Late', 'Larry', 12) });
    const urgent = caseReceived(0, { patient: patient('Urgent', 'Una', 13), referral: { priority: 'urgent' } });
    const cancer = caseReceived(0, {
      patient: patient('Cancer', 'Cara', 14),
      referral: { priority: 'suspected-cancer' },
    });
    await app.seed([routine, overdue, urgent, cancer], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.rows).toHaveCount(4);
    const order = await worklist.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
    expect(order).toEqual([cancer.id, urgent.id, overdue.id, routine.id]);
    await expect(worklist.row(cancer.id)).toContainText('Suspected cancer');
    await expect(worklist.row(cancer.id)).toHaveClass(/priority-suspected-cancer/);
    await expect(worklist.row(overdue.id)).toContainText('OVERDUE');
    await expect(worklist.row(overdue.id)).toHaveClass(/overdue/);
    await expect(worklist.row(routine.id)).not.toContainText('OVERDUE');

    await worklist.filter('Overdue').click();
    await expect(worklist.rows).toHaveCount(1);
    await expect(worklist.rows.first()).toHaveAttribute('data-case-id', overdue.id);
    await worklist.filter('Suspected cancer').click();
    await expect(worklist.rows).toHaveCount(1);
    await expect(worklist.rows.first()).toHaveAttribute('data-case-id', cancer.id);
  });

  test('full-text search over name, NHS number, referral text and practice', async ({ app }) => {
    const a = caseReceived(1, {
      patient: { ...patient('Hopper', 'Grace', 21), nhsNumber: '9434765919' },
      referral: { presentingComplaint: 'Scaly plaques on both elbows' },
    });
    const b = caseReceived(1, {
      patient: patient('Turing', 'Alan', 22),
      practice: { odsCode: 'Y01234', name: 'Harbour Lane Surgery', clinician: 'Dr Amal Iqbal' },
    });
    await app.seed([a, b], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.rows).toHaveCount(2);
    const only = async (query: string, id: string): Promise<void> => {
      await worklist.search.fill(query);
      await expect(worklist.rows).toHaveCount(1);
      await expect(worklist.rows.first()).toHaveAttribute('data-case-id', id);
    };
    await only('hopp', a.id);
    await only('943 476 5919', a.id);
    await only('elbows', a.id);
    await only('harbour', b.id);
    await worklist.search.fill('"; DROP TABLE cases --');
    await expect(worklist.empty).toContainText('No cached case matches your search');
  });

  test('filters toggled back and forth and a search typed and cleared show rows every time', async ({ app }) => {
    // A page once fetched for "To triage" must be fetched again when the list comes back to it
    // (it used to stay "Loading cases…" for good: the request's key never left the pending set).
    const late = caseReceived(20, { patient: patient('Late', 'Larry', 31) });
    const fresh = caseReceived(0, { patient: patient('Fresh', 'Fiona', 32) });
    const other = caseReceived(1, { patient: patient('Hopper', 'Grace', 33) });
    await app.seed([late, fresh, other], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.rows).toHaveCount(3);
    for (let round = 0; round < 3; round++) {
      await worklist.filter('Overdue').click();
      await expect(worklist.rows).toHaveCount(1);
      await expect(worklist.rows.first()).toHaveAttribute('data-case-id', late.id);
      await worklist.filter('To triage').click();
      await expect(worklist.rows).toHaveCount(3);
    }
    for (let round = 0; round < 2; round++) {
      await worklist.search.pressSequentially('hopp');
      await expect(worklist.rows).toHaveCount(1);
      await expect(worklist.rows.first()).toHaveAttribute('data-case-id', other.id);
      await worklist.search.fill('');
      await expect(worklist.rows).toHaveCount(3);
      await expect(app.page.getByText('Loading cases…')).toHaveCount(0);
    }
  });

  test('the complaint line shows whole letters: descenders of g, p, y are not clipped', async ({ app }) => {
    const c = caseReceived(0, { referral: { presentingComplaint: 'Pigmented lesion, growing, itchy (gyp)' } });
    await app.seed([c], { consultant });
    const complaint = new WorklistPage(app.page).row(c.id).locator('.row-complaint');
    await expect(complaint).toBeVisible();
    const box = await complaint.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const glyphs = range.getBoundingClientRect();
      const line = el.getBoundingClientRect();
      const row = el.closest('.worklist-row')!.getBoundingClientRect();
      return {
        clipped: el.scrollHeight > el.clientHeight,
        glyphTop: glyphs.top,
        glyphBottom: glyphs.bottom,
        lineTop: line.top,
        lineBottom: line.bottom,
        rowBottom: row.bottom,
      };
    });
    expect(box.clipped).toBe(false);
    // The text's glyph box (ascent to descent) lies inside the element's box, and that inside the row.
    expect(box.glyphTop).toBeGreaterThanOrEqual(box.lineTop - 0.5);
    expect(box.glyphBottom).toBeLessThanOrEqual(box.lineBottom + 0.5);
    expect(box.lineBottom).toBeLessThanOrEqual(box.rowBottom);
  });

  test('virtualised: thousands of cases, only the visible rows in the DOM, End reaches the last', async ({ app }) => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      caseReceived(i % 5, { patient: patient('Bulk', `Case${i}`, 1000 + i) }),
    );
    await app.seed(many, { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.count).toHaveText('2,000 cases');
    expect(await worklist.rows.count()).toBeLessThan(80);
    await worklist.list.focus();
    await app.page.keyboard.press('End');
    await expect(worklist.selected()).toHaveAttribute('aria-posinset', '2000');
    await app.page.keyboard.press('Home');
    await expect(worklist.selected()).toHaveAttribute('aria-posinset', '1');
  });

  test.describe('on a fixed calendar', () => {
    // The Monday before the first due date below, so none is overdue whatever day the suite runs.
    test.use({ clockStart: '2026-11-30T09:00:00.000Z' });

    test('due dates are 3 working days after receipt, skipping weekends and bank holidays', async ({ app }) => {
      const christmas = caseReceived(0, {
        patient: patient('Christmas', 'Carol', 51),
        referral: { receivedAt: '2026-12-24T10:00:00.000Z' }, // Thu; Fri 25, Mon 28 (Boxing Day substitute) off
      });
      const easter = caseReceived(0, {
        patient: patient('Easter', 'Eve', 52),
        referral: { receivedAt: '2027-03-25T10:00:00.000Z' }, // Thu; Good Friday and Easter Monday off
      });
      const weekend = caseReceived(0, {
        patient: patient('Weekend', 'Wendy', 53),
        referral: { receivedAt: '2026-11-27T16:00:00.000Z' }, // Fri: Mon, Tue, Wed
      });
      await app.seed([christmas, easter, weekend], { consultant });
      const worklist = new WorklistPage(app.page);
      await expect(worklist.row(christmas.id)).toContainText('Due 2026-12-31');
      await expect(worklist.row(easter.id)).toContainText('Due 2027-04-01');
      await expect(worklist.row(weekend.id)).toContainText('Due 2026-12-02');
      await expect(worklist.row(weekend.id)).not.toContainText('OVERDUE');
    });
  });

  test('accessibility: no serious or critical axe violations on the worklist', async ({ app }) => {
    await app.seed([caseReceived(0), caseReceived(9, { referral: { priority: 'suspected-cancer' } })], { consultant });
    await expect(new WorklistPage(app.page).rows).toHaveCount(2);
    expect(await seriousAxeViolations(app.page)).toEqual([]);
  });
});
