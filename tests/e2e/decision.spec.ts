import type { Page } from '@playwright/test';
import { outcomeKinds, outcomeLabels } from '../../src/shared/domain/outcome-labels';
import { pdfText } from '../support/pdf-text';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { caseReceived, consultant, readCache } from './pages/triage-data';
import { WorklistPage } from './pages/worklist-page';

const KEYS: Record<string, string> = {
  discharge: 'd',
  'routine-face-to-face': 'r',
  'urgent-face-to-face': 'u',
  'suspected-cancer-pathway': 'c',
  'procedure-list': 'b',
  'onward-referral': 'o',
  'teledermatology-follow-up': 'f',
  'more-information': 'm',
  'unable-to-assess-remotely': 'x',
};

async function openOnly(page: Page, caseId: string): Promise<CasePage> {
  await new WorklistPage(page).row(caseId).click();
  const view = new CasePage(page);
  await expect(view.decisionForm).toBeVisible();
  return view;
}

async function signViaButton(view: CasePage): Promise<void> {
  await view.signButton.click();
  await view.confirmSign.click();
  await expect(view.signed).toBeVisible();
}

test.describe('decision', () => {
  for (const kind of outcomeKinds) {
    test(`signs the outcome "${outcomeLabels[kind]}"`, async ({ app }) => {
      const c = caseReceived(0);
      await app.seed([c], { consultant });
      const view = await openOnly(app.page, c.id);
      await app.page.locator('#case-pane').focus();
      await app.page.keyboard.press(KEYS[kind] ?? '');
      await expect(view.outcome(outcomeLabels[kind])).toBeChecked();
      if (kind === 'onward-referral') await app.page.getByLabel('Refer on to (specialty)').fill('Plastic surgery');
      if (kind === 'routine-face-to-face') {
        await app.page.getByLabel('Clinic', { exact: true }).selectOption('subspecialty');
        await app.page.getByLabel('Subspecialty clinic').fill('Hair');
        await app.page.getByLabel('Appointment', { exact: true }).selectOption('video');
      }
      if (kind === 'teledermatology-follow-up') await app.page.getByLabel('Re-photograph after (weeks)').fill('8');
      if (kind === 'procedure-list') await app.page.getByLabel('List', { exact: true }).selectOption('skin-surgery');
      if (kind === 'more-information') {
        await expect(view.signButton).toBeDisabled();
        await app.page.getByLabel('Dermoscopy image').check();
        await app.page.getByLabel('Exactly what the referrer should send').fill('A dermoscopy image with a ruler');
      }
      await view.diagnosisSearch.fill('naevus');
      await app.page.getByRole('option', { name: /^Melanocytic naevus \(mole\)/ }).click();
      await signViaButton(view);
      await expect(view.signed).toContainText(outcomeLabels[kind]);
      const stored = readCache(app, (db) =>
        db.prepare(`SELECT decision_json FROM decisions WHERE case_id = ?`).get(c.id),
      ) as { decision_json: string };
      const decision = JSON.parse(stored.decision_json) as { outcome: Record<string, unknown>; diagnosis: unknown };
      expect(decision.outcome['kind']).toBe(kind);
      expect(decision.diagnosis).toEqual({ snomedCode: '400096001', label: 'Melanocytic naevus (mole)' });
      if (kind === 'routine-face-to-face')
        expect(decision.outcome).toEqual({ kind, clinic: 'subspecialty', subspecialty: 'Hair', mode: 'video' });
      if (kind === 'teledermatology-follow-up') expect(decision.outcome['weeks']).toBe(8);
      const outbox = readCache(app, (db) =>
        db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'decision'`).get(),
      );
      expect(outbox).toEqual({ n: 1 });
    });
  }

  test('a suspected-cancer referral is never downgraded silently: advice to the referrer is required', async ({
    app,
  }) => {
    const c = caseReceived(0, { referral: { priority: 'suspected-cancer' } });
    await app.seed([c], { consultant });
    const view = await openOnly(app.page, c.id);
    await view.outcome(/^Discharge/).check();
    await expect(view.problems).toContainText('Only the referrer can downgrade it');
    await expect(view.signButton).toBeDisabled();
    await app.page.locator('#case-pane').focus();
    await app.page.keyboard.press('Control+Enter');
    await expect(app.page.getByRole('alertdialog')).toHaveCount(0);
    await view.downgradeAdvice.fill('Typical seborrhoeic keratosis on dermoscopy; please consider downgrading.');
    await signViaButton(view);
    const stored = readCache(app, (db) => db.prepare(`SELECT decision_json FROM decisions`).get()) as {
      decision_json: string;
    };
    expect(JSON.parse(stored.decision_json)).toMatchObject({
      outcome: { kind: 'discharge' },
      downgradeAdvice: 'Typical seborrhoeic keratosis on dermoscopy; please consider downgrading.',
    });
  });

  test('keeping a suspected-cancer referral on the pathway needs no downgrade advice', async ({ app }) => {
    const c = caseReceived(0, { referral: { priority: 'suspected-cancer' } });
    await app.seed([c], { consultant });
    const view = await openOnly(app.page, c.id);
    await view.outcome('Suspected cancer pathway').check();
    await expect(view.downgradeAdvice).toHaveCount(0);
    await signViaButton(view);
  });

  test('the draft autosaves and survives a restart', async ({ app }) => {
    const c = caseReceived(0);
    await app.seed([c], { consultant });
    const view = await openOnly(app.page, c.id);
    await view.outcome('Urgent face-to-face appointment').check();
    await view.diagnosisSearch.fill('psoriasis');
    await app.page.keyboard.press('Enter');
    await app.page.getByLabel('Advice to the GP').fill('Please start topical treatment meanwhile.');
    await expect(view.saveState).toContainText('Draft saved');
    const page = await app.restart();
    await new WorklistPage(page).row(c.id).click();
    const again = new CasePage(page);
    await expect(again.outcome('Urgent face-to-face appointment')).toBeChecked();
    await expect(page.getByTestId('diagnosis-chosen')).toContainText('Psoriasis');
    await expect(page.getByLabel('Advice to the GP')).toHaveValue('Please start topical treatment meanwhile.');
    await expect(new WorklistPage(page).row(c.id)).toContainText('Draft');
  });

  test('signing freezes the decision; an amendment is a new version referencing it', async ({ app }) => {
    const c = caseReceived(0);
    await app.seed([c], { consultant });
    const view = await openOnly(app.page, c.id);
    await view.outcome(/^Discharge/).check();
    await signViaButton(view);
    await app.page.keyboard.press('a');
    await view.outcome('Urgent face-to-face appointment').check();
    await view.signButton.click();
    await expect(app.page.getByRole('heading', { name: 'Sign this amendment?' })).toBeVisible();
    await view.confirmSign.click();
    await expect(view.signed).toContainText('amendment, version 2');
    const rows = readCache(app, (db) =>
      db.prepare(`SELECT id, version, supersedes FROM decisions WHERE case_id = ? ORDER BY version`).all(c.id),
    ) as Array<{ id: string; version: number; supersedes: string | null }>;
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[1]?.supersedes).toBe(rows[0]?.id);
  });

  test('the letter to the GP carries the decision (PDF text parsed)', async ({ app }) => {
    const c = caseReceived(0);
    await app.seed([c], { consultant });
    const view = await openOnly(app.page, c.id);
    await view.outcome(/^Discharge/).check();
    await view.diagnosisSearch.fill('basal cell');
    await app.page.getByRole('option', { name: /^Basal cell carcinoma of skin/ }).click();
    await signViaButton(view);
    await app.page.keyboard.press('l');
    await expect(view.letterState).toContainText('Letter saved');
    const path = ((await view.letterState.textContent()) ?? '').replace('Letter saved: ', '').trim();
    const { text } = await pdfText(path);
    expect(text).toContain('Riverside Medical Practice');
    expect(text).toContain('Ada LOVELACE');
    expect(text).toContain('Discharge with advice and treatment plan to the GP');
    expect(text).toContain('Basal cell carcinoma of skin (SNOMED CT 254701007)');
    expect(text).toContain('Likely basal cell carcinoma');
    expect(text.replace(/\s/g, '')).toContain('skinhealthinfo.org.uk/condition/basal-cell-carcinoma/');
    expect(text).toContain('Dr Grace Hopper');
  });

  test('pass to a colleague: the case goes back to the hub and leaves the worklist', async ({ app }) => {
    const c = caseReceived(0);
    const other = caseReceived(0);
    await app.seed([c, other], { consultant });
    await openOnly(app.page, c.id);
    await app.page.locator('#case-pane').focus();
    await app.page.keyboard.press('p');
    const dialog = app.page.getByRole('dialog', { name: 'Pass to a colleague' });
    await dialog.getByLabel('A subspecialty').check();
    await dialog.getByLabel('Subspecialty', { exact: true }).fill('Paediatric dermatology');
    await dialog.getByLabel('Note for your colleague').fill('Child, 4 years: paediatric list please.');
    await dialog.getByRole('button', { name: 'Pass on' }).click();
    await expect(new WorklistPage(app.page).row(c.id)).toHaveCount(0);
    await expect(new WorklistPage(app.page).rows).toHaveCount(1);
    const outbox = readCache(app, (db) =>
      db.prepare(`SELECT payload_json FROM outbox WHERE kind = 'pass-on'`).get(),
    ) as { payload_json: string };
    expect(JSON.parse(outbox.payload_json)).toEqual({
      caseId: c.id,
      note: 'Child, 4 years: paediatric list please.',
      toSubspecialty: 'Paediatric dermatology',
    });
  });
});
