import type { WorklistFilter } from '../../../shared/contract/worklist-methods';
import { toFtsQuery } from './fts-query';
import { keyOfDue, MAX_KEY } from './worklist-key';

export type { WorklistFilter };

/**
 * One worklist query for the full-text index (migration 0010): the MATCH expression and the
 * worklist-key ranges whose union is the answer, in worklist order.
 */
export interface WorklistQuery {
  match: string;
  /** Inclusive [from, to] key ranges, ascending and disjoint. */
  ranges: Array<[bigint, bigint]>;
}

/** Each filter as the `tags` tokens of the index that a case must all have (the migration writes them). */
const filterTags: Record<WorklistFilter, string[]> = {
  all: ['visible'],
  open: ['open'],
  overdue: ['open'],
  'suspected-cancer': ['visible', 'suspectedcancer'],
  'more-info': ['visible', 'moreinfo'],
  'needs-review': ['needsreview'],
  drafts: ['draft'],
  'awaiting-sync': ['awaitingsync'],
};

/**
 * Builds the query for a worklist page. Pure, so the filter semantics are tested without a
 * database. `today` is the London calendar date: a case is overdue once today is past its due
 * date, i.e. its key is below "due today" within its priority. Cases passed on or withdrawn are
 * never "visible", "open" or in any state token: they have left this consultant's list.
 */
export function worklistQuery(filter: WorklistFilter, search: string | undefined, today: string): WorklistQuery {
  const text = search ? toFtsQuery(search) : null;
  const tag = filterTags[filter].map((t) => `tags : ${t}`).join(' AND ');
  const match = text ? `(${text}) AND ${tag}` : tag;
  if (filter !== 'overdue') return { match, ranges: [[0n, MAX_KEY]] };
  const ranges: Array<[bigint, bigint]> = [];
  for (let rank = 0; rank < 4; rank++) ranges.push([keyOfDue(rank, '2000-01-01'), keyOfDue(rank, today) - 1n]);
  return { match, ranges };
}
