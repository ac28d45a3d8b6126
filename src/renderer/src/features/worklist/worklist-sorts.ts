import type { WorklistSort } from '../../../../shared/contract/worklist-methods';

/**
 * The worklist's orders, once: `label` is the sort control's option, `name` what the command
 * palette offers ("Sort: …"). Both set the same `worklist.sort:<id>` command.
 */
export const worklistSortOptions: ReadonlyArray<{ id: WorklistSort; label: string; name: string }> = [
  { id: 'priority', label: 'Priority, then due date', name: 'by priority, then due date' },
  { id: 'received', label: 'Received, oldest first', name: 'by date received, oldest first' },
  { id: 'patient', label: 'Patient name, A to Z', name: 'by patient name' },
];

/**
 * The chosen order lasts the session (sessionStorage: it survives the lock screen, which
 * unmounts the app, and a reload, and ends with the window). A layout choice, no patient data.
 */
const KEY = 'dermdesk.worklist-sort';

export function loadWorklistSort(): WorklistSort {
  const saved = window.sessionStorage.getItem(KEY);
  return worklistSortOptions.find((o) => o.id === saved)?.id ?? 'priority';
}

export function saveWorklistSort(sort: WorklistSort): void {
  window.sessionStorage.setItem(KEY, sort);
}
