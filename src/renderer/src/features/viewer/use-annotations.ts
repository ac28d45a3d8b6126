import { useCallback, useEffect, useRef, useState } from 'react';
import {
  commit as commitHistory,
  emptyDoc,
  historyOf,
  redo as redoHistory,
  undo as undoHistory,
  type AnnotationDoc,
  type History,
} from '../../../../shared/domain/viewer/annotations';
import { api, errorMessage } from '../../api/client';

export interface AnnotationsState {
  history: History;
  ready: boolean;
  error: string | null;
  commit(next: AnnotationDoc): void;
  undo(): void;
  redo(): void;
  /** Resolves once every edit made so far has reached the core (the export reads the stored marks). */
  saved(): Promise<void>;
}

/**
 * One image's marks: loaded once, every committed edit (and undo/redo) saved at once with the
 * revision it was based on, so the pop-out and the main window cannot silently overwrite each other.
 */
/** The caller remounts per image (keyed by SHA-256), so the loaded state never mixes images. */
/** `load: false` (the warm-up viewer) never asks the core: its image is not in the cache. */
export function useAnnotations(sha256: string, load = true): AnnotationsState {
  const [history, setHistory] = useState<History>(() => historyOf(emptyDoc()));
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revision = useRef(0);
  const saving = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    if (!load) return;
    let live = true;
    api.call('annotations.get', { sha256 }).then(
      (r) => {
        if (!live) return;
        revision.current = r.revision;
        setHistory(historyOf(r.doc ?? emptyDoc()));
        setReady(true);
        // Marks the hub refused (e.g. changed on another workstation) stay here and say so.
        setError(r.syncNote);
      },
      (e: unknown) => live && setError(errorMessage(e, 'The marks could not be loaded.')),
    );
    return () => {
      live = false;
    };
  }, [sha256, load]);

  const save = useCallback(
    (doc: AnnotationDoc) => {
      // Saves are chained so each one carries the revision the previous one produced.
      saving.current = saving.current.then(() =>
        api.call('annotations.save', { sha256, doc, expectedRevision: revision.current }).then(
          (r) => {
            revision.current = r.revision;
            setError(null);
          },
          (e: unknown) => setError(errorMessage(e, 'The marks could not be saved.')),
        ),
      );
    },
    [sha256],
  );

  const apply = useCallback(
    (step: (h: History) => History) => {
      setHistory((h) => {
        const next = step(h);
        if (next.present !== h.present) save(next.present);
        return next;
      });
    },
    [save],
  );

  return {
    history,
    ready,
    error,
    commit: useCallback((next: AnnotationDoc) => apply((h) => commitHistory(h, next)), [apply]),
    undo: useCallback(() => apply(undoHistory), [apply]),
    redo: useCallback(() => apply(redoHistory), [apply]),
    saved: useCallback(() => saving.current, []),
  };
}
