import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { ImageManifestEntry } from '../../../src/shared/domain/case';
import { sampleCase } from '../../support/sample-case';
import type { DeskApp, SeedOptions } from '../fixtures/desk-app';

/**
 * Seeds one case whose manifest lists these files (sizes from the files themselves); `consultant`
 * signs one in (needed for audited actions such as the export).
 */
export async function seedCaseWithImages(
  app: DeskApp,
  files: readonly Buffer[],
  options: { derive?: boolean } & SeedOptions = {},
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
  const record = sampleCase({ images });
  await app.seed([record], options.consultant !== undefined ? { consultant: options.consultant } : {});
  return { caseId: record.id, shas };
}
