import type { WorklistFilter } from '../../../../shared/contract/worklist-methods';

/**
 * The worklist's filters, once: `chip` is the filter bar's short label, `name` what the command
 * palette offers ("Filter: …"). Both run the same `worklist.filter:<id>` command.
 */
export const worklistFilters: ReadonlyArray<{ id: WorklistFilter; chip: string; name: string }> = [
  { id: 'open', chip: 'To triage', name: 'to triage' },
  { id: 'overdue', chip: 'Overdue', name: 'overdue' },
  { id: 'suspected-cancer', chip: 'Suspected cancer', name: 'suspected cancer' },
  { id: 'more-info', chip: 'More info', name: 'needs more information' },
  { id: 'needs-review', chip: 'Needs review', name: 'needs review after sync' },
  { id: 'drafts', chip: 'Drafts', name: 'drafts' },
  { id: 'awaiting-sync', chip: 'Awaiting sync', name: 'decided, awaiting sync' },
  { id: 'all', chip: 'All', name: 'all cases' },
];
