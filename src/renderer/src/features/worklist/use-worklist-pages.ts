import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorklistFilter, WorklistSort } from '../../../../shared/contract/worklist-methods';
import type { CaseSummary } from '../../../../shared/domain/case';
import { api, errorMessage } from '../../api/client';

export const PAGE_SIZE = 100;

export type WorklistPages =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      total: number;
      rowAt: (index: number) => CaseSummary | undefined;
      ensure: (from: number, to: number) => void;
    };

interface Loaded {
  key: string;
  total: number | null;
  error: string | null;
  pages: ReadonlyMap<number, CaseSummary[]>;
}

/**
 * Pages of the worklist fetched on demand: the list renders only the visible rows and asks for
 * the pages that cover them, so 100,000 cached cases cost one page at a time. Any change
 * (search, filter, a worklist.changed event) starts a new generation; late answers for an old
 * one are dropped.
 */
export function useWorklistPages(search: string, filter: WorklistFilter, sort: WorklistSort): WorklistPages {
  const [generation, setGeneration] = useState(0);
  const key = `${generation}\u0000${filter}\u0000${sort}\u0000${search}`;
  const [data, setData] = useState<Loaded>({ key, total: null, error: null, pages: new Map() });
  const latestKey = useRef(key);
  const pending = useRef(new Set<string>());
  /** Each loaded page's `next` cursor: the page after it is asked for by keyset, not by offset. */
  const cursors = useRef(new Map<string, string>());
  useEffect(() => {
    latestKey.current = key;
  });

  const fetchPage = useCallback(
    (page: number) => {
      const id = `${key}#${page}`;
      if (pending.current.has(id)) return;
      pending.current.add(id);
      const fresh = (d: Loaded): Loaded => (d.key === key ? d : { key, total: null, error: null, pages: new Map() });
      const after = cursors.current.get(`${key}#${page - 1}`);
      api
        .call('worklist.list', {
          search: search || undefined,
          filter,
          sort,
          limit: PAGE_SIZE,
          ...(after === undefined ? { offset: page * PAGE_SIZE } : { after }),
        })
        .then(
          (value) => {
            if (value.next !== null) {
              for (const old of cursors.current.keys()) if (!old.startsWith(`${key}#`)) cursors.current.delete(old);
              cursors.current.set(id, value.next);
            }
            // Settled either way: a later generation with the same key (filter Overdue, then
            // back to To triage) must be able to ask for this page again.
            pending.current.delete(id);
            if (latestKey.current !== key) return;
            setData((d) => {
              const base = fresh(d);
              const pages = new Map(base.pages);
              pages.set(page, value.cases);
              return { ...base, total: value.total, error: null, pages };
            });
          },
          (e: unknown) => {
            pending.current.delete(id);
            // The case at the cursor left the list (another order's cursor is that case): the
            // next try of this page goes by offset instead.
            if (after !== undefined) cursors.current.delete(`${key}#${page - 1}`);
            if (latestKey.current !== key) return;
            setData((d) => ({ ...fresh(d), error: errorMessage(e) }));
          },
        );
    },
    [key, search, filter, sort],
  );

  useEffect(() => fetchPage(0), [fetchPage]);
  useEffect(() => api.on('worklist.changed', () => setGeneration((g) => g + 1)), []);

  const current = data.key === key ? data : null;
  if (current?.error && current.total === null) return { status: 'error', message: current.error };
  if (!current || current.total === null) return { status: 'loading' };
  const pages = current.pages;
  return {
    status: 'ready',
    total: current.total,
    rowAt: (i) => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    ensure: (from, to) => {
      for (let p = Math.floor(from / PAGE_SIZE); p <= Math.floor(Math.max(from, to) / PAGE_SIZE); p++)
        if (!pages.has(p)) fetchPage(p);
    },
  };
}
