import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { WorklistFilter, WorklistSort } from '../../../../shared/contract/worklist-methods';
import type { CaseSummary } from '../../../../shared/domain/case';
import { formatNhsNumber } from '../../../../shared/domain/nhs-number';
import { currentWorkPlace, rememberWorkPlace } from '../lock/work-place';
import { useCommands } from '../shortcuts/command-bus';
import { useWorklistPages } from './use-worklist-pages';
import { worklistFilters } from './worklist-filters';
import { RowThumbnail, useThumbsReadySince } from './row-thumbnail';
import { loadWorklistSort, saveWorklistSort, worklistSortOptions } from './worklist-sorts';

const ROW_HEIGHT = 72;
const OVERSCAN = 8;

const PRIORITY_LABEL: Record<CaseSummary['priority'], string> = {
  'suspected-cancer': 'Suspected cancer',
  urgent: 'Urgent',
  routine: 'Routine',
};

const SEX_SHORT: Record<CaseSummary['sex'], { short: string; name: string }> = {
  female: { short: 'F', name: 'female' },
  male: { short: 'M', name: 'male' },
  other: { short: 'X', name: 'other' },
  unknown: { short: '?', name: 'sex not known' },
};

const STATE_LABEL: Partial<Record<CaseSummary['state'], string>> = {
  draft: 'Draft',
  'signed-pending-sync': 'Decided, awaiting sync',
  synced: 'Decided',
  'needs-review': 'Needs review',
  rejected: 'Rejected by hub',
};

/**
 * The consultant's queue, most urgent first. Virtualised: only the rows in view (plus a few) are
 * in the DOM, and pages are fetched as they scroll into view. ↑/↓ or j/k move, Enter opens.
 */
export function WorklistPane(props: {
  selectedCaseId: string | null;
  openCaseId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
}): React.JSX.Element {
  const [search, setSearch] = useState('');
  // After an unlock the list comes back as it was (features/lock/work-place.ts).
  const [filter, setFilter] = useState<WorklistFilter>(() => currentWorkPlace().filter);
  const [sort, setSortState] = useState<WorklistSort>(loadWorklistSort);
  const pages = useWorklistPages(search, filter, sort);
  const thumbsReady = useThumbsReadySince();
  const [rawIndex, setIndex] = useState(() => currentWorkPlace().listIndex);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const ready = pages.status === 'ready' ? pages : null;
  const total = ready?.total ?? 0;
  // The list can shrink under the selection (a case signed or passed on): stay on a real row.
  const index = Math.min(rawIndex, Math.max(0, total - 1));
  const hasList = ready !== null && total > 0;

  // Keep the selection on a real row: the first one when nothing is selected yet.
  const selectedRow = ready?.rowAt(index);
  const selectedRowId = selectedRow?.id;
  const { onSelect, selectedCaseId } = props;
  useEffect(() => {
    if (selectedRowId && selectedRowId !== selectedCaseId) onSelect(selectedRowId);
  }, [selectedRowId, selectedCaseId, onSelect]);

  // The chosen row, not the clamped one: while the list is loading or refused (the core locks a
  // moment before the app unmounts, and a draft saved on the way out reloads the list) the clamp
  // reads 0, and remembering that put the selection on another row after unlocking.
  useEffect(() => rememberWorkPlace({ filter, listIndex: rawIndex }), [filter, rawIndex]);

  // Back from the lock screen: scroll the remembered row into view once the list is there.
  const restored = useRef(false);
  useEffect(() => {
    const el = listRef.current;
    if (restored.current || !el || !hasList) return;
    restored.current = true;
    if (index * ROW_HEIGHT > el.clientHeight) el.scrollTop = index * ROW_HEIGHT - el.clientHeight / 2;
  }, [hasList, index]);

  useEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasList]);

  // Focus the list when it first has cases and nothing else has focus: the day starts here.
  const autoFocused = useRef(false);
  useEffect(() => {
    if (autoFocused.current || !ready || total === 0) return;
    if (document.activeElement === document.body || document.activeElement === null) {
      listRef.current?.focus();
      autoFocused.current = true;
    }
  }, [ready, total]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (ready && total > 0) ready.ensure(first, last);
  }, [ready, first, last, total]);

  const setSort = (next: WorklistSort): void => {
    setSortState(next);
    saveWorklistSort(next);
    setIndex(0);
  };

  const moveTo = (next: number): void => {
    if (total === 0) return;
    const i = Math.min(total - 1, Math.max(0, next));
    setIndex(i);
    const el = listRef.current;
    if (el) {
      const top = i * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    }
  };

  useCommands((name) => {
    if (name === 'worklist.search') {
      searchRef.current?.focus();
      searchRef.current?.select();
      return true;
    }
    if (name === 'worklist.next' || name === 'worklist.prev') {
      moveTo(index + (name === 'worklist.next' ? 1 : -1));
      return true;
    }
    if (name === 'worklist.focus') {
      listRef.current?.focus();
      return true;
    }
    if (name === 'worklist.open-next') {
      // The open case may have left the list (signed, passed on): open whatever is now selected.
      const openIndexRow = ready?.rowAt(index);
      const target = openIndexRow && openIndexRow.id === props.openCaseId ? ready?.rowAt(index + 1) : openIndexRow;
      if (target) {
        if (target.id !== openIndexRow?.id) moveTo(index + 1);
        props.onOpen(target.id);
      }
      return true;
    }
    if (name.startsWith('worklist.sort:')) {
      const id = name.slice('worklist.sort:'.length);
      const option = worklistSortOptions.find((o) => o.id === id);
      if (option) setSort(option.id);
      return true;
    }
    if (name.startsWith('worklist.filter:')) {
      const f = name.slice('worklist.filter:'.length) as WorklistFilter;
      if (worklistFilters.some((x) => x.id === f)) {
        setFilter(f);
        setIndex(0);
      }
      return true;
    }
    return false;
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      moveTo(index + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      moveTo(e.key === 'Home' ? 0 : total - 1);
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      const step = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
      moveTo(index + (e.key === 'PageDown' ? step : -step));
    } else if (e.key === 'Enter') {
      const row = ready?.rowAt(index);
      if (row) {
        e.preventDefault();
        props.onOpen(row.id);
      }
    }
  };

  const rows: React.JSX.Element[] = [];
  if (ready) {
    for (let i = first; i <= last; i++) {
      const c = ready.rowAt(i);
      rows.push(
        c ? (
          <div
            key={c.id}
            id={`case-row-${c.id}`}
            role="option"
            aria-selected={i === index}
            aria-posinset={i + 1}
            aria-setsize={total}
            data-testid="worklist-row"
            data-case-id={c.id}
            className={`worklist-row priority-${c.priority}${c.overdue ? ' overdue' : ''}${c.id === props.openCaseId ? ' open' : ''}`}
            style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}
            onClick={() => {
              setIndex(i);
              props.onOpen(c.id);
            }}
          >
            <RowThumbnail
              sha256={c.thumbSha256}
              ready={c.thumbReady || (c.thumbSha256 !== null && thumbsReady.has(c.thumbSha256))}
            />
            <span className="row-name">
              {c.patientName} <span className="row-nhs">{formatNhsNumber(c.nhsNumber)}</span>
            </span>
            <span className="row-flags">
              {c.priority !== 'routine' && <span className="row-priority">{PRIORITY_LABEL[c.priority]}</span>}
              {c.overdue && <span className="row-overdue">OVERDUE</span>}
            </span>
            {/* The complaint takes the whole line unless the row has a consent, answer or state mark. */}
            <span
              className={`row-complaint${c.consentRecorded && !c.answerFrom && !STATE_LABEL[c.state] ? ' wide' : ''}`}
            >
              {c.presentingComplaint}
            </span>
            {(!c.consentRecorded || c.answerFrom || STATE_LABEL[c.state]) && (
              <span className="row-flags">
                {c.answerFrom && (
                  <span className="row-answer" data-testid="row-answer">
                    {c.answerFrom === 'patient' ? 'Answer from the patient' : 'Answer from the practice'}
                  </span>
                )}
                {!c.consentRecorded && (
                  <span className="row-no-consent" data-testid="row-no-consent">
                    No consent
                  </span>
                )}
                {STATE_LABEL[c.state] && <span className="row-state">{STATE_LABEL[c.state]}</span>}
              </span>
            )}
            <span className="row-due">
              <span className="row-age-sex" data-testid="row-age-sex">
                {c.ageYears ?? '?'} y <abbr title={SEX_SHORT[c.sex].name}>{SEX_SHORT[c.sex].short}</abbr>
              </span>{' '}
              · {c.overdue ? `Was due ${c.dueOn}` : `Due ${c.dueOn}`} · {c.practiceName}
            </span>
          </div>
        ) : (
          <div
            key={`placeholder-${i}`}
            className="worklist-row placeholder"
            style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}
            aria-hidden="true"
          >
            Loading…
          </div>
        ),
      );
    }
  }

  return (
    <section className="worklist-pane" aria-labelledby="worklist-heading">
      <header className="pane-header">
        <h1 id="worklist-heading">Worklist</h1>
        <input
          ref={searchRef}
          type="search"
          aria-label="Search cases by patient, NHS number, referral text or practice"
          placeholder="Search (/)"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === 'ArrowDown') {
              e.preventDefault();
              listRef.current?.focus();
            }
          }}
        />
      </header>
      <div className="filter-chips" role="group" aria-label="Filter the worklist">
        {worklistFilters.map((f) => (
          <button
            key={f.id}
            type="button"
            className="chip"
            aria-pressed={filter === f.id}
            onClick={() => {
              setFilter(f.id);
              setIndex(0);
            }}
          >
            {f.chip}
          </button>
        ))}
      </div>
      <div className="worklist-toolbar">
        <p className="worklist-count" aria-live="polite" data-testid="worklist-count">
          {ready ? `${total.toLocaleString('en-GB')} case${total === 1 ? '' : 's'}` : ''}
        </p>
        <label className="worklist-sort">
          Sort
          <select value={sort} onChange={(e) => setSort(e.target.value as WorklistSort)}>
            {worklistSortOptions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {pages.status === 'loading' && <p className="empty-state">Loading cases…</p>}
      {pages.status === 'error' && (
        <p className="error-state" role="alert">
          Could not load the worklist: {pages.message}
        </p>
      )}
      {ready && total === 0 && (
        <div className="empty-state" data-testid="worklist-empty">
          <p>
            {search
              ? 'No cached case matches your search.'
              : filter === 'open' || filter === 'all'
                ? 'No cases on this workstation yet.'
                : 'No case matches this filter.'}
          </p>
          {!search && (filter === 'open' || filter === 'all') && (
            <p>Sync with the referral hub to claim a batch of cases.</p>
          )}
        </div>
      )}
      {ready && total > 0 && (
        <div
          ref={listRef}
          className="worklist"
          role="listbox"
          aria-label="Cases"
          aria-activedescendant={selectedRow ? `case-row-${selectedRow.id}` : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <div className="worklist-spacer" style={{ height: total * ROW_HEIGHT }}>
            {rows}
          </div>
        </div>
      )}
    </section>
  );
}
