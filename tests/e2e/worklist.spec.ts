import { readFileSync } from 'node:fs';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { WorklistPage } from './pages/worklist-page';
import { caseReceived, consultant, patient, seriousAxeViolations } from './pages/triage-data';
import { seedCaseWithImages } from './pages/viewer-seed';

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

  test('sorts by priority, arrival or patient name from a keyboard-operable control, kept for the session', async ({
    app,
  }) => {
    const zed = caseReceived(6, { patient: patient('Zed', 'Zoe', 61) });
    const adams = caseReceived(0, { patient: patient('adams', 'Amy', 62), referral: { priority: 'urgent' } });
    const moss = caseReceived(2, { patient: patient('Moss', 'Mo', 63), referral: { priority: 'suspected-cancer' } });
    await app.seed([zed, adams, moss], { consultant });
    const worklist = new WorklistPage(app.page);
    const order = () => worklist.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
    await expect(worklist.rows).toHaveCount(3);
    await expect(worklist.sort).toHaveValue('priority');
    expect(await order()).toEqual([moss.id, adams.id, zed.id]);

    // The control is a native select: Tab reaches it, arrow keys change the order.
    await worklist.sort.focus();
    await app.page.keyboard.press('ArrowDown');
    await expect(worklist.sort).toHaveValue('received');
    await expect.poll(order).toEqual([zed.id, moss.id, adams.id]);
    await app.page.keyboard.press('ArrowDown');
    await expect(worklist.sort).toHaveValue('patient');
    await expect.poll(order).toEqual([adams.id, moss.id, zed.id]);
    // Filters keep the order.
    await worklist.filter('All').click();
    await expect.poll(order).toEqual([adams.id, moss.id, zed.id]);

    // Kept for the session: a reload comes back sorted by name.
    await app.page.reload();
    await expect(worklist.rows).toHaveCount(3);
    await expect(worklist.sort).toHaveValue('patient');
    expect(await order()).toEqual([adams.id, moss.id, zed.id]);
  });

  test('a sorted list of thousands pages by keyset to its last row', async ({ app }) => {
    const many = Array.from({ length: 1500 }, (_, i) =>
      caseReceived(i % 5, { patient: patient(`Bulk${String(1499 - i).padStart(4, '0')}`, 'Case', 3000 + i) }),
    );
    await app.seed(many, { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.count).toHaveText('1,500 cases');
    await worklist.sort.selectOption('patient');
    await expect(worklist.rows.first()).toContainText('BULK0000');
    await worklist.list.focus();
    await app.page.keyboard.press('End');
    await expect(worklist.selected()).toHaveAttribute('aria-posinset', '1500');
    await expect(worklist.selected()).toContainText('BULK1499');
    for (let i = 0; i < 3; i++) await app.page.keyboard.press('PageUp');
    await expect(worklist.selected()).not.toContainText('Loading');
  });

  test('rows show age and sex, the first image as a thumbnail (a placeholder until cached) and a No consent mark', async ({
    app,
  }) => {
    const photo = readFileSync(dermoscopyFixtures()[0] ?? '');
    const other = readFileSync(dermoscopyFixtures()[1] ?? '');
    const withThumb = await seedCaseWithImages(app, [photo], {
      patient: { ...patient('Pictured', 'Pat', 71), sex: 'male', dateOfBirth: '1956-12-01' }, // 70 tomorrow
    });
    const notYet = await seedCaseWithImages(app, [other], { derive: false, patient: patient('Waiting', 'Wil', 72) });
    const noConsent = caseReceived(1, { patient: patient('Unconsented', 'Una', 73), referral: { consent: null } });
    await app.seed([noConsent], { consultant });
    const worklist = new WorklistPage(app.page);
    await expect(worklist.rows).toHaveCount(3);

    await expect(worklist.row(withThumb.caseId).getByTestId('row-age-sex')).toHaveText('69 y M');
    await expect(worklist.row(noConsent.id).getByTestId('row-age-sex')).toHaveText('56 y F');
    const thumb = worklist.row(withThumb.caseId).getByTestId('row-thumb');
    await expect(thumb).toHaveAttribute('data-state', 'image');
    expect(await thumb.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    // Not derived yet: the neutral placeholder, and no image element that could show as broken.
    const placeholder = worklist.row(notYet.caseId).getByTestId('row-thumb');
    await expect(placeholder).toHaveAttribute('data-state', 'placeholder');
    await expect(placeholder.locator('img')).toHaveCount(0);
    await expect(worklist.row(noConsent.id).getByTestId('row-thumb')).toHaveAttribute('data-state', 'placeholder');

    await expect(worklist.row(noConsent.id).getByTestId('row-no-consent')).toHaveText('No consent');
    await expect(worklist.row(withThumb.caseId).getByTestId('row-no-consent')).toHaveCount(0);
    // Every image in the list decoded (none broken), and every row kept its fixed height.
    const images = await worklist.list
      .locator('img')
      .evaluateAll((imgs) =>
        imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
      );
    expect(images).toEqual([true]);
    const heights = await worklist.rows.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(heights).toEqual([72, 72, 72]);
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
    const photo = readFileSync(dermoscopyFixtures()[0] ?? '');
    await seedCaseWithImages(app, [photo]);
    await app.seed(
      [
        caseReceived(0, { referral: { consent: null } }),
        caseReceived(9, { referral: { priority: 'suspected-cancer' } }),
      ],
      { consultant },
    );
    await expect(new WorklistPage(app.page).rows).toHaveCount(3);
    await expect(app.page.getByTestId('row-no-consent')).toHaveCount(1);
    await expect(app.page.locator('[data-testid="row-thumb"][data-state="image"]')).toHaveCount(1);
    expect(await seriousAxeViolations(app.page)).toEqual([]);
  });
});
