import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import sharp from 'sharp';
import type { CaseRecord, ImageManifestEntry } from '../../../src/shared/domain/case';
import { dermoscopyFixtures } from '../../support/fixtures';
import { sampleCase } from '../../support/sample-case';
import type { DeskApp, SeedOptions } from '../fixtures/desk-app';
import { ViewerPage } from './viewer-page';

/**
 * Seeds one case whose manifest lists these files (sizes from the files themselves); `consultant`
 * signs one in (needed for audited actions such as the export).
 */
export async function seedCaseWithImages(
  app: DeskApp,
  files: readonly Buffer[],
  options: { derive?: boolean; patient?: CaseRecord['patient'] } & SeedOptions = {},
): Promise<{ caseId: string; shas: string[] }> {
  const shas = await app.seedImages(files, options);
  const images: ImageManifestEntry[] = await Promise.all(
    files.map(async (bytes, i) => {
      // Hostile seeds (empty, SVG) have no real size: the manifest just claims one.
      const meta = await Promise.resolve()
        .then(() => sharp(bytes).metadata())
        .catch(() => ({ width: 100, height: 100 }));
      return {
        id: randomUUID(),
        sha256: shas[i] ?? '',
        bytes: Math.max(1, bytes.length),
        mediaType: 'image/jpeg' as const,
        width: meta.width ?? 100,
        height: meta.height ?? 100,
        kind: 'close-up' as const,
      };
    }),
  );
  const record = sampleCase({ images, ...(options.patient ? { patient: options.patient } : {}) });
  await app.seed([record], options.consultant !== undefined ? { consultant: options.consultant } : {});
  return { caseId: record.id, shas };
}

/** Two real dermoscopy photographs in one case, opened side by side in compare mode. */
export async function openComparePair(app: DeskApp): Promise<ViewerPage> {
  const files = dermoscopyFixtures()
    .slice(0, 2)
    .map((f) => readFileSync(f));
  const { caseId } = await seedCaseWithImages(app, files);
  const viewer = new ViewerPage(app.page);
  await viewer.openCase(caseId);
  await viewer.waitSharp();
  await app.page.getByLabel('Compare').check();
  await expect(app.page.getByTestId('viewer-stage')).toHaveCount(2);
  return viewer;
}
