import type { WorklistFilter } from '../../../../shared/contract/worklist-methods';

/**
 * Where the consultant was: the open case, the list's selection and filter. Locking unmounts the
 * whole app (no patient data may stay in the DOM), so this lives in memory outside React and the
 * app starts from it again on unlock. Ids and a filter name only: no patient text is kept.
 */
export interface WorkPlace {
  openCaseId: string | null;
  selectedCaseId: string | null;
  /** The selected row's position in the list, so the list scrolls back to it. */
  listIndex: number;
  filter: WorklistFilter;
}

const initial: WorkPlace = { openCaseId: null, selectedCaseId: null, listIndex: 0, filter: 'open' };
let place: WorkPlace = initial;

export function currentWorkPlace(): WorkPlace {
  return place;
}

export function rememberWorkPlace(update: Partial<WorkPlace>): void {
  place = { ...place, ...update };
}

/** Tests and a sign-out start from the top again. */
export function forgetWorkPlace(): void {
  place = initial;
}

type Flush = () => Promise<unknown>;
const flushes = new Set<Flush>();

/**
 * Work that must reach the core before it locks (the core refuses every write while locked):
 * an unsaved draft registers its save here, and locking from this window waits for it.
 */
export function beforeLock(flush: Flush): () => void {
  flushes.add(flush);
  return () => {
    flushes.delete(flush);
  };
}

/** Runs every registered flush, waiting at most `timeoutMs` so a stuck save cannot stop a lock. */
export async function flushBeforeLock(timeoutMs = 2000): Promise<void> {
  const all = Promise.allSettled([...flushes].map((f) => f()));
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
}
