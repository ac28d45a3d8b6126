import { useSyncExternalStore } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';

export type PriorCaseData = CaseDetailData['priorCases'][number];

/**
 * Which earlier case of this patient the consultant asked to see beside today's images. The list
 * of earlier cases (features/case/prior-cases.tsx) sets it; the case's image panel shows the
 * comparison in the viewer's space, with the earlier outcome and its date. One open case at a
 * time, so one value; the image panel clears it when its case closes.
 */
let current: PriorCaseData | null = null;
const listeners = new Set<() => void>();

export const priorCompare = {
  get: (): PriorCaseData | null => current,
  set(prior: PriorCaseData | null): void {
    if (prior === current) return;
    current = prior;
    for (const l of [...listeners]) l();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function usePriorCompare(): PriorCaseData | null {
  return useSyncExternalStore(priorCompare.subscribe, priorCompare.get);
}
