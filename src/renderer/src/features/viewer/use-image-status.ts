import { useEffect, useRef, useState } from 'react';
import type { DerivativeStatusData } from '../../../../shared/contract/image-methods';
import { api, errorMessage } from '../../api/client';

/**
 * Derivation status of a set of images: asked once, then kept current from the core's
 * `images.derivatives-progress` events (so a progress bar moves while tiles are built).
 */
export function useImageStatus(
  sha256s: readonly string[],
  /** Statuses already known (images.forCase returns them): no first request, the viewer draws at once. */
  initial?: readonly DerivativeStatusData[],
): {
  statuses: Record<string, DerivativeStatusData>;
  error: string | null;
} {
  const key = sha256s.join(',');
  const [statuses, setStatuses] = useState<Record<string, DerivativeStatusData>>(() =>
    Object.fromEntries((initial ?? []).map((s) => [s.sha256, s])),
  );
  const initialRef = useRef(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    if (wanted.size === 0) return;
    let live = true;
    const off = api.on('images.derivatives-progress', (status) => {
      if (live && wanted.has(status.sha256)) setStatuses((s) => ({ ...s, [status.sha256]: status }));
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (): void => {
      api.call('images.status', { sha256s: [...wanted] }).then(
        (r) => {
          performance.mark('dd:status-known');
          if (!live) return;
          setStatuses((s) => {
            const next = { ...s };
            // A settled answer always wins; an unsettled one never overwrites a settled event.
            for (const status of r.images) {
              const known = next[status.sha256];
              if (!known || !settled(known) || settled(status)) next[status.sha256] = status;
            }
            return next;
          });
          // Events can be missed while the event stream (re)connects: ask again until all settle.
          if (r.images.some((status) => !settled(status))) timer = setTimeout(poll, 1000);
        },
        (e: unknown) => live && setError(errorMessage(e, 'Image status unavailable.')),
      );
    };
    const known = initialRef.current;
    // Only ask when something is not yet settled (events keep settled-then-retried images current).
    if (!known || [...wanted].some((sha) => !known.some((s) => s.sha256 === sha && settled(s)))) poll();
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }, [key]);

  return { statuses, error };
}

function settled(status: DerivativeStatusData): boolean {
  return status.state === 'ready' || status.state === 'failed' || status.state === 'missing';
}
