import { useEffect, useRef, useState } from 'react';
import type { DecisionForm } from '../../../../shared/domain/decision-form';
import { api, errorMessage } from '../../api/client';
import { beforeLock } from '../lock/work-place';

export type SaveState =
  { status: 'idle' } | { status: 'saving' } | { status: 'saved'; at: string } | { status: 'error'; message: string };

const DELAY_MS = 400;

/**
 * Autosaves the form as a draft a moment after the last change, and at once when the case is
 * closed, so a crash or a restart loses at most the last keystrokes.
 */
export function useAutosave(caseId: string, form: DecisionForm, enabled: boolean): SaveState {
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const first = useRef(true);
  const latest = useRef(form);
  const dirty = useRef(false);
  useEffect(() => {
    latest.current = form;
  });

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!enabled) return;
    dirty.current = true;
    const timer = setTimeout(() => {
      dirty.current = false;
      setState({ status: 'saving' });
      api.call('decision.saveDraft', { caseId, form }).then(
        (r) => setState({ status: 'saved', at: r.savedAt }),
        (e: unknown) => setState({ status: 'error', message: errorMessage(e) }),
      );
    }, DELAY_MS);
    return () => clearTimeout(timer);
  }, [caseId, form, enabled]);

  useEffect(() => {
    const flush = async (): Promise<void> => {
      if (!dirty.current || !enabled) return;
      dirty.current = false;
      await api.call('decision.saveDraft', { caseId, form: latest.current }).catch(() => {});
    };
    // Locking waits for this (the locked core refuses writes); closing the case saves at once.
    const unregister = beforeLock(flush);
    return () => {
      unregister();
      void flush();
    };
  }, [caseId, enabled]);
  return state;
}
