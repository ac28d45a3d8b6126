import { z } from 'zod';
import { caseSummarySchema } from '../domain/case';
import { method } from './define';

/** The worklist's filters, one at a time ("open" = still to triage: new, draft, needs review). */
export const worklistFilters = [
  'all',
  'open',
  'overdue',
  'suspected-cancer',
  'more-info',
  'needs-review',
  'drafts',
  'awaiting-sync',
] as const;
export type WorklistFilter = (typeof worklistFilters)[number];

/**
 * The worklist's orders: clinical priority then SLA due date (the default), arrival (oldest
 * first), patient name (A to Z). Every order pages by keyset with the same cursor.
 */
export const worklistSorts = ['priority', 'received', 'patient'] as const;
export type WorklistSort = (typeof worklistSorts)[number];

export const worklistQuerySchema = z
  .object({
    search: z.string().max(200).optional(),
    filter: z.enum(worklistFilters).optional(),
    sort: z.enum(worklistSorts).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
    /** Keyset paging: the previous page's `next`; the page starts right after it (offset is then ignored). */
    after: z
      .string()
      .regex(/^\d{1,19}$/)
      .optional(),
  })
  .strict();

export const worklistMethods = {
  'worklist.list': method(
    worklistQuerySchema,
    z.object({ total: z.number().int(), cases: z.array(caseSummarySchema), next: z.string().nullable() }),
    'Cached cases sorted by clinical priority then SLA due date (or by arrival, or patient name); FTS5 search and one filter; keyset paging (`next` → `after`).',
  ),
};
