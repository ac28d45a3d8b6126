import type { CaseImagesData } from '../../../../shared/contract/image-methods';
import { api } from '../../api/client';
import { prefetchPreview, thumbKey } from './draw-image-layer';
import { tileLoader } from './tile-loader';

/**
 * The pop-out viewer's cold start (issue 16). This module is in the page's small entry chunk,
 * so it runs while the viewer's chunks (React, Konva) are still being fetched and evaluated:
 * the case's images are asked for, the decoding worker starts, and as soon as the answer says
 * which image is first, its thumbnail is fetched and decoded by the page (a worker started now
 * may not run until the viewer's code has been evaluated) and its preview by the worker. When
 * React renders the viewer, the first thumbnail is usually decoded already.
 */
let early: { caseId: string; images: Promise<CaseImagesData> } | null = null;

/** The first image whose derivatives are ready (the one the viewer draws first), if any. */
export function firstReadyImage(content: CaseImagesData): string | null {
  const first = content.images.find((i) => content.statuses.some((s) => s.sha256 === i.sha256 && s.state === 'ready'));
  return first?.sha256 ?? null;
}

/** Starts fetching a case's images before the viewer's code has loaded. Safe while locked: the core refuses it. */
export function startFetchingCaseImages(caseId: string): void {
  tileLoader.warm(); // the decoding worker starts now too, not after the first render
  const images = api.call('images.forCase', { caseId });
  images.then(
    (content) => {
      performance.mark('dd:images-answered');
      const sha256 = firstReadyImage(content);
      if (!sha256) return;
      // The thumbnail in the page (drawn first), the preview in the worker once it has started.
      void tileLoader.loadOnPage(thumbKey(sha256), api.imageUrl(sha256, 'thumb'));
      prefetchPreview(sha256);
    },
    () => undefined, // answered where it is used
  );
  early = { caseId, images };
}

/** The answer started by startFetchingCaseImages for this case (once), or null. */
export function takeEarlyCaseImages(caseId: string): Promise<CaseImagesData> | null {
  const found = early?.caseId === caseId ? early.images : null;
  early = null;
  return found;
}
