import { useEffect, useState } from 'react';
import type { ImageManifestEntry } from '../../../../shared/domain/case';
import { api, ApiError } from '../../api/client';
import { CaseImagesPanel } from './case-images-panel';

/**
 * The pop-out viewer (second monitor): the same renderer opened with `#view=viewer`, showing
 * whichever case the main window has open (the core's `viewer.case-followed` event).
 */
export function ViewerWindowPage(props: { initialCaseId: string | null }): React.JSX.Element {
  const [caseId, setCaseId] = useState<string | null>(props.initialCaseId);
  const [loaded, setLoaded] = useState<{
    caseId: string;
    images?: readonly ImageManifestEntry[];
    error?: string;
  } | null>(null);

  useEffect(() => api.on('viewer.case-followed', (e) => setCaseId(e.caseId)), []);

  useEffect(() => {
    if (!caseId) return;
    let live = true;
    api.call('images.forCase', { caseId }).then(
      (r) => live && setLoaded({ caseId, images: r.images }),
      (e: unknown) =>
        live && setLoaded({ caseId, error: e instanceof ApiError ? e.message : 'The case could not be loaded.' }),
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
      {error ? (
        <p role="alert">{error}</p>
      ) : !caseId ? (
        <p className="empty-state">Open a case in the main window; its images appear here.</p>
      ) : images ? (
        <CaseImagesPanel caseId={caseId} images={images} popout />
      ) : (
        <p className="empty-state">Loading…</p>
      )}
    </main>
  );
}

/** `#view=viewer&case=<id>` selects the pop-out page. */
export function viewerRoute(hash: string): { caseId: string | null } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.get('view') !== 'viewer') return null;
  const id = params.get('case');
  return { caseId: id && /^[0-9a-f-]{36}$/i.test(id) ? id : null };
}
