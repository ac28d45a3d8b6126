import { useEffect, useState } from 'react';
import { api } from '../../api/client';

/**
 * Thumbnails that became ready while the list was on screen (the core derives them after a
 * sync): a row whose page was fetched before shows its picture without refetching the page.
 */
export function useThumbsReadySince(): ReadonlySet<string> {
  const [ready, setReady] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(
    () =>
      api.on('images.derivatives-progress', (status) => {
        if (status.state === 'ready')
          setReady((old) => (old.has(status.sha256) ? old : new Set(old).add(status.sha256)));
      }),
    [],
  );
  return ready;
}

/**
 * A row's small picture of the case's first image, from the cached thumbnail. Until the core
 * has one (or if it cannot be read), a neutral placeholder of the same size: never a broken
 * image. Decorative (alt=""): the row's text says whose case it is.
 */
export function RowThumbnail(props: { sha256: string | null; ready: boolean }): React.JSX.Element {
  const [failed, setFailed] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const { sha256, ready } = props;
  const show = sha256 !== null && ready && failed !== sha256;
  return (
    <span
      className="row-thumb"
      data-testid="row-thumb"
      data-state={show && loaded === sha256 ? 'image' : 'placeholder'}
    >
      {show && (
        <img
          src={api.imageUrl(sha256, 'thumb')}
          alt=""
          width={48}
          height={48}
          decoding="async"
          draggable={false}
          style={loaded === sha256 ? undefined : { visibility: 'hidden' }}
          onLoad={() => setLoaded(sha256)}
          onError={() => setFailed(sha256)}
        />
      )}
    </span>
  );
}
