import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/main/core/db/open-database';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { sampleDischarge } from '../support/sample-case';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { consultant, patient } from './pages/triage-data';
import { ViewerPage } from './pages/viewer-page';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/**
 * An earlier referral of the same patient, decided on this workstation: its image goes beside
 * today's in the viewer (zoom locked, blink and swipe available), with what was decided then and
 * when. The earlier decision is signed through the core's own signing code in the real cache.
 */
test('an earlier case of the same patient is compared side by side, with its outcome and date', async ({ app }) => {
  const who = { ...patient('Hodgkin', 'Dorothy', 5), nhsNumber: '9434765919' };
  const [a, b] = dermoscopyFixtures().map((f) => readFileSync(f));
  const earlier = await seedCaseWithImages(app, [a ?? Buffer.alloc(0)], { patient: who, consultant });
  const today = await seedCaseWithImages(app, [b ?? Buffer.alloc(0)], { patient: who });
  const db = openDatabase(join(app.dataDir, 'cache.sqlite'), { key: app.cacheKey });
  try {
    signDecision(
      db,
      { caseId: earlier.caseId, content: sampleDischarge(), consultant },
      new Date('2026-11-21T14:30:00.000Z'),
    );
  } finally {
    db.close();
  }
  await app.page.reload();

  const worklist = new WorklistPage(app.page);
  await worklist.filter('All').click();
  await worklist.row(today.caseId).click();
  const viewer = new ViewerPage(app.page);
  await viewer.waitSharp();
  const priorRow = app.page.getByTestId('prior-case');
  await expect(priorRow).toContainText('Discharge');
  await expect(priorRow).toContainText('decided 2026-11-21');

  await priorRow.getByRole('button', { name: 'Compare with today’s images' }).click();
  const stages = app.page.getByTestId('viewer-stage');
  await expect(stages).toHaveCount(2);
  await expect(app.page.getByTestId('image-viewer').nth(0)).toHaveAttribute('data-sha256', today.shas[0] ?? '');
  await expect(app.page.getByTestId('image-viewer').nth(1)).toHaveAttribute('data-sha256', earlier.shas[0] ?? '');
  await expect(app.page.getByTestId('prior-outcome')).toContainText(
    /Earlier case received \d{4}-\d{2}-\d{2}: Discharge/,
  );
  await expect(app.page.getByTestId('prior-outcome')).toContainText('(Seborrhoeic keratosis), decided 2026-11-21');
  await expect(app.page.getByTestId('image-viewer').nth(1)).toContainText('Earlier');
  await expect(stages.nth(1)).toHaveAttribute('data-preview-drawn', 'true', { timeout: 20_000 });

  // Zoom locked across the two (the default): zooming today's zooms the earlier one alike.
  const scale = async (i: number): Promise<number> => Number(await stages.nth(i).getAttribute('data-scale'));
  const fit = [await scale(0), await scale(1)];
  await viewer.key('+');
  await expect.poll(() => scale(0)).toBeCloseTo((fit[0] ?? 0) * 1.25, 3);
  await expect.poll(() => scale(1)).toBeCloseTo((fit[1] ?? 0) * 1.25, 3);
  // Blink and swipe are there once landmarks are picked.
  await expect(app.page.getByRole('button', { name: 'Blink' })).toBeDisabled();
  await viewer.register([
    [0.3, 0.3],
    [0.7, 0.6],
  ]);
  await expect(app.page.getByRole('button', { name: 'Swipe' })).toBeEnabled();

  await app.page.getByRole('button', { name: 'Stop comparing' }).click();
  await expect(stages).toHaveCount(1);
  await expect(app.page.getByTestId('prior-outcome')).toHaveCount(0);
});
