import { useEffect, useMemo, useState } from 'react';
import type { DerivativeStatusData } from '../../../../shared/contract/image-methods';
import type { ImageManifestEntry } from '../../../../shared/domain/case';
import { api } from '../../api/client';
import { prefetchPreview } from './draw-image-layer';
import { PopOutButton } from './pop-out-button';
import { priorCompare, usePriorCompare } from './prior-compare';
import { PriorOutcome } from './prior-outcome';
import { useImageStatus } from './use-image-status';
import { ViewerWorkspace } from './viewer-workspace';
import type { ViewerImage } from './viewer-types';
import './viewer.css';

/**
 * The case view's image area: a strip of the referral's images (with progress while they are
 * being prepared and a clear message for any that cannot be shown), and the viewer for the chosen
 * one, or 2-4 side by side in compare mode. The pop-out window renders the same component.
 */
export function CaseImagesPanel(props: CaseImagesPanelProps): React.JSX.Element {
  // A new case starts with a fresh selection (no carried-over compare set).
  return <CaseImages key={props.caseId} {...props} />;
}

interface CaseImagesPanelProps {
  caseId: string;
  images: readonly ImageManifestEntry[];
  /** True inside the pop-out window (no pop-out button, no follow announcements). */
  popout?: boolean;
  /** Derivation statuses already known (from images.forCase), so the first image draws without asking. */
  statuses?: readonly DerivativeStatusData[];
  /** An earlier case's images, opened from the list of earlier cases (no pop-out, no comparison). */
  prior?: boolean;
  /**
   * Images that came with the referrer's answer to a more-information request: marked "new" in
   * the strip, and the case opens with the first of them beside the first earlier image.
   */
  newImageIds?: readonly string[];
}

function CaseImages(props: CaseImagesPanelProps): React.JSX.Element {
  const { caseId, images } = props;
  const main = !props.popout && !props.prior;
  const requested = usePriorCompare();
  const prior = main ? requested : null;
  // The request belongs to the case open now: it ends with it.
  useEffect(() => (main ? () => priorCompare.set(null) : undefined), [main]);
  const { statuses, error } = useImageStatus(
    [...images, ...(prior?.images ?? [])].map((i) => i.sha256),
    props.statuses,
  );
  const isNew = (image: ImageManifestEntry): boolean => props.newImageIds?.includes(image.id) ?? false;
  // An answered request opens with the new photograph beside the earlier one (compare, zoom locked).
  const [answerPair] = useState<string[]>(() => {
    const earlier = images.find((i) => !isNew(i));
    const fresh = images.find((i) => isNew(i));
    return earlier && fresh ? [earlier.sha256, fresh.sha256] : [];
  });
  const [chosen, setChosen] = useState<string[]>(answerPair);
  const [compare, setCompare] = useState(answerPair.length > 0);

  useEffect(() => {
    // The pop-out window follows whichever case the main window shows.
    if (main) void api.call('viewer.follow-case', { caseId, open: false }).catch(() => undefined);
  }, [caseId, main]);

  const newIds = props.newImageIds;
  const labelFor = (image: ImageManifestEntry, index: number): string => imageLabel(image, index, newIds);

  const ready = useMemo(
    () =>
      images
        .map((image, index) => ({ image, index, status: statuses[image.sha256] }))
        .filter(
          (
            x,
          ): x is {
            image: ImageManifestEntry;
            index: number;
            status: DerivativeStatusData & { meta: NonNullable<DerivativeStatusData['meta']> };
          } => x.status?.state === 'ready' && !!x.status.meta,
        ),
    [images, statuses],
  );

  // Start fetching the first image's thumbnail and preview at once, in parallel with the status
  // request (usually they are already derived), and again once it is known to be ready.
  const firstImage = images[0]?.sha256;
  useEffect(() => {
    if (firstImage) prefetchPreview(firstImage);
  }, [firstImage]);
  const firstReady = ready[0]?.image.sha256;
  useEffect(() => {
    if (firstReady) prefetchPreview(firstReady);
  }, [firstReady]);

  const shown: ViewerImage[] = useMemo(() => {
    const pick = chosen.length > 0 ? chosen : ready[0] ? [ready[0].image.sha256] : [];
    const today = pick
      .map((sha) => ready.find((r) => r.image.sha256 === sha))
      .filter((r): r is (typeof ready)[number] => !!r)
      .map((r) => ({ sha256: r.image.sha256, meta: r.status.meta, label: imageLabel(r.image, r.index, newIds) }));
    if (!prior) return today;
    // Beside today's image: the earlier case's first image that is ready, labelled with its date.
    const earlier = prior.images
      .map((image, index) => ({ image, index, meta: statuses[image.sha256]?.meta }))
      .find(
        (x) => x.meta && statuses[x.image.sha256]?.state === 'ready' && !today.some((t) => t.sha256 === x.image.sha256),
      );
    const first = today[0];
    if (!first || !earlier?.meta) return today.slice(0, 1);
    return [
      first,
      {
        sha256: earlier.image.sha256,
        meta: earlier.meta,
        label: `Earlier ${prior.receivedAt.slice(0, 10)}: ${imageLabel(earlier.image, earlier.index, undefined)}`,
      },
    ];
  }, [chosen, ready, prior, statuses, newIds]);

  if (images.length === 0) {
    return <p className="empty-state">This referral has no images.</p>;
  }

  const toggle = (sha: string): void => {
    if (!compare) return setChosen([sha]);
    setChosen((c) => (c.includes(sha) ? c.filter((s) => s !== sha) : c.length >= 4 ? c : [...c, sha]));
  };

  return (
    <section className="case-images" aria-label="Referral images" data-testid="case-images" data-key-mode="viewer">
      <div className="image-strip-bar">
        <ul className="image-strip" aria-label="Referral images">
          {images.map((image, index) => {
            const status = statuses[image.sha256];
            const label = labelFor(image, index);
            const isShown = shown.some((s) => s.sha256 === image.sha256);
            return (
              <li
                key={image.id}
                data-testid="image-thumb"
                data-state={status?.state ?? 'loading'}
                data-sha256={image.sha256}
              >
                {status?.state === 'ready' ? (
                  <button
                    type="button"
                    aria-pressed={isShown}
                    aria-label={`${compare ? 'Add to comparison' : 'Show'}: ${label}`}
                    onClick={() => toggle(image.sha256)}
                  >
                    <img src={api.imageUrl(image.sha256, 'thumb')} alt={`${label} image`} height={72} />
                  </button>
                ) : status?.state === 'failed' ? (
                  <div className="thumb-error" role="alert" data-testid="image-error">
                    <strong>{label}: cannot be shown.</strong> {status.message}
                  </div>
                ) : (
                  <div className="thumb-progress">
                    <span>{label}: preparing…</span>
                    <progress
                      max={1}
                      value={status?.progress ?? 0}
                      aria-label={`Preparing ${label}`}
                      data-testid="image-progress"
                    />
                  </div>
                )}
                <span className="thumb-kind">
                  {image.kind}
                  {isNew(image) && (
                    <strong className="thumb-new" data-testid="image-new">
                      new
                    </strong>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
        <div className="strip-actions">
          {ready.length > 1 && (
            <label title="Choose 2-4 images to see side by side">
              <input
                type="checkbox"
                checked={compare}
                onChange={(e) => {
                  setCompare(e.target.checked);
                  setChosen(e.target.checked ? ready.slice(0, 2).map((r) => r.image.sha256) : []);
                }}
              />{' '}
              Compare
            </label>
          )}
          {main && <PopOutButton caseId={caseId} />}
        </div>
      </div>
      {error && <p role="alert">{error}</p>}
      {prior && <PriorOutcome prior={prior} onStop={() => priorCompare.set(null)} />}
      {shown.length > 0 ? (
        <ViewerWorkspace key={shown.map((s) => s.sha256).join(',')} caseId={caseId} images={shown} />
      ) : (
        <p className="empty-state" data-testid="viewer-empty">
          {ready.length === 0 ? 'Images are being prepared…' : 'Choose an image.'}
        </p>
      )}
    </section>
  );
}

/** A thumbnail's and a viewer's label: kind and place, and "(new)" for a photograph the referrer's answer brought. */
function imageLabel(image: ImageManifestEntry, index: number, newIds: readonly string[] | undefined): string {
  return `${image.kind} ${index + 1}${newIds?.includes(image.id) ? ' (new)' : ''}`;
}
