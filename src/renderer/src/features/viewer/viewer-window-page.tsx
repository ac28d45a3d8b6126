import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageManifestEntry } from '../../../../shared/domain/case';
import { api, errorMessage } from '../../api/client';
import type { CaseImagesData, DerivativeStatusData } from '../../../../shared/contract/image-methods';
import { CaseImagesPanel } from './case-images-panel';
import { prefetchPreview } from './draw-image-layer';
import { firstReadyImage, takeEarlyCaseImages } from './viewer-cold-start';
import { tileLoader } from './tile-loader';
import { PatientBanner } from './patient-banner';
import { ViewerWarmUp } from './viewer-warm-up';

/**
 * The pop-out viewer (second monitor): the same renderer opened with `#view=viewer`, showing
 * whichever case the main window has open (the core's `viewer.case-followed` event).
 */
export function ViewerWindowPage(props: { initialCaseId: string | null }): React.JSX.Element {
  const [caseId, setCaseId] = useState<string | null>(props.initialCaseId);
  const [loaded, setLoaded] = useState<{
    caseId: string;
    patient?: CaseImagesData['patient'];
    images?: readonly ImageManifestEntry[];
    statuses?: readonly DerivativeStatusData[];
    error?: string;
  } | null>(null);

  const shownRef = useRef<string | null>(null);
  const show = (id: string, content: CaseImagesData): void => {
    performance.mark('dd:images-known');
    shownRef.current = id;
    // Content-addressed URLs: the first ready image's thumbnail and preview are fetched before
    // React has even rendered the viewer.
    const first = firstReadyImage(content);
    if (first) prefetchPreview(first);
    setLoaded({ caseId: id, patient: content.patient, images: content.images, statuses: content.statuses });
  };

  // The decoding worker starts with the window, not with the first case (a worker takes tens of ms).
  useEffect(() => tileLoader.warm(), []);
  // Likewise the viewer's code is run once while the window waits for its first case.
  const [warming, setWarming] = useState(props.initialCaseId === null);
  const warmedUp = useCallback(() => setWarming(false), []);

  useEffect(
    () =>
      api.on('viewer.case-followed', (e) => {
        performance.mark('dd:case-followed');
        // The event carries the case's images and their readiness: no round trip before drawing.
        if (e.caseId && e.content) show(e.caseId, e.content);
        setCaseId(e.caseId);
      }),
    [],
  );

  useEffect(() => {
    if (!caseId || shownRef.current === caseId) return;
    let live = true;
    const images = takeEarlyCaseImages(caseId) ?? api.call('images.forCase', { caseId });
    images.then(
      (r) => {
        if (live) show(caseId, r);
      },
      (e: unknown) => live && setLoaded({ caseId, error: errorMessage(e, 'The case could not be loaded.') }),
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  const current = loaded && loaded.caseId === caseId ? loaded : null;
  const images = current?.images ?? null;
  const error = current?.error ?? null;
  return (
    <main
      className="viewer-window"
      aria-label="Image viewer window"
      data-testid="viewer-window"
      data-case-id={caseId ?? ''}
    >
      {warming && !caseId && <ViewerWarmUp onDone={warmedUp} />}
      {current?.patient && <PatientBanner patient={current.patient} />}
      {error ? (
        <p role="alert">{error}</p>
      ) : !caseId ? (
        <p className="empty-state">Open a case in the main window; its images appear here.</p>
      ) : images ? (
        <CaseImagesPanel caseId={caseId} images={images} statuses={current?.statuses} popout />
      ) : (
        <p className="empty-state">Loading…</p>
      )}
    </main>
  );
}
