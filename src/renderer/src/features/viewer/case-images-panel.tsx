import type { ImageManifestEntry } from '../../../../shared/domain/case';
import { api } from '../../api/client';

/**
 * The case view's image area. The case view mounts this; the viewer feature owns what it shows
 * (first cut: the thumbnails with their kind, each labelled for screen readers).
 */
export function CaseImagesPanel(props: { caseId: string; images: readonly ImageManifestEntry[] }): React.JSX.Element {
  if (props.images.length === 0) {
    return <p className="empty-state">This referral has no images.</p>;
  }
  return (
    <ul className="image-strip" aria-label="Referral images">
      {props.images.map((image) => (
        <li key={image.id}>
          <img src={api.imageUrl(image.sha256, 'thumb')} alt={`${image.kind} image`} width={160} />
          <span>{image.kind}</span>
        </li>
      ))}
    </ul>
  );
}
