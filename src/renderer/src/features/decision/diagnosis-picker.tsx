import { forwardRef, useEffect, useMemo, useState } from 'react';
import {
  diagnoses,
  pickCountsFromLabels,
  searchDiagnoses,
  type DiagnosisEntry,
  type PickCounts,
} from '../../../../shared/domain/diagnoses';
import { api } from '../../api/client';
import { nextActiveOption } from '../shortcuts/list-box-keys';

/**
 * Searchable picker over the bundled diagnoses (combobox pattern): type, ↑/↓, Enter picks and
 * brings the diagnosis's plan template and leaflet. Free text is used when nothing fits.
 * Matches are ranked by `searchDiagnoses`: an exact name or abbreviation first, then this
 * consultant's own picks (from core), then how common the diagnosis is. With nothing typed the
 * list shows their habits, and Enter takes the top one only when it IS a habit (never an
 * arbitrary first entry of the list).
 */
export const DiagnosisPicker = forwardRef<
  HTMLInputElement,
  {
    selectedId: string | null;
    freeText: string;
    disabled: boolean;
    onPick: (entry: DiagnosisEntry) => void;
    onFreeText: (text: string) => void;
  }
>(function DiagnosisPicker(props, ref) {
  const selected = props.selectedId ? diagnoses.find((d) => d.id === props.selectedId) : undefined;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [picks, setPicks] = useState<PickCounts>({});
  useEffect(() => {
    let live = true;
    api.call('decision.diagnosisPicks', {}).then(
      (r) => live && setPicks(pickCountsFromLabels(r.picks)),
      () => undefined, // no ranking by habit is still a working picker
    );
    return () => {
      live = false;
    };
  }, []);
  const matches = useMemo(() => searchDiagnoses(query, { picks }).slice(0, 12), [query, picks]);
  const enterTarget = (): DiagnosisEntry | undefined => {
    const entry = matches[active];
    if (!entry) return undefined;
    return query.trim() || (picks[entry.id] ?? 0) > 0 ? entry : undefined;
  };

  const pick = (entry: DiagnosisEntry | undefined): void => {
    if (!entry) return;
    props.onPick(entry);
    setQuery('');
    setOpen(false);
  };

  return (
    <div className="diagnosis-picker">
      <label htmlFor="diagnosis-search">
        Diagnosis <kbd>t</kbd>
      </label>
      {selected && (
        <p className="diagnosis-chosen" data-testid="diagnosis-chosen">
          {selected.label}{' '}
          {selected.snomedCode ? (
            <span className="code">SNOMED CT {selected.snomedCode}</span>
          ) : (
            <span className="muted">(free text only: no verified SNOMED CT code)</span>
          )}
        </p>
      )}
      <input
        ref={ref}
        id="diagnosis-search"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open && matches.length > 0}
        aria-controls="diagnosis-options"
        aria-activedescendant={open && matches[active] ? `diagnosis-option-${matches[active].id}` : undefined}
        placeholder="Search diagnoses (e.g. seb ker)"
        disabled={props.disabled}
        value={query}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          const next = nextActiveOption(e.key, active, matches.length);
          if (next !== null) {
            e.preventDefault();
            setActive(next);
          } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            const entry = enterTarget();
            if (!entry) return;
            pick(entry);
            // Back to the form, so the next shortcut is a command, not text.
            (e.currentTarget.closest('[data-decision-form]') as HTMLElement | null)?.focus();
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {open && matches.length > 0 && (
        <ul id="diagnosis-options" role="listbox" aria-label="Matching diagnoses" className="options">
          {matches.map((d, i) => (
            <li
              key={d.id}
              id={`diagnosis-option-${d.id}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(d);
              }}
            >
              {d.label}
              {d.synonyms.length > 0 && <span className="muted"> ({d.synonyms.slice(0, 3).join(', ')})</span>}
              {(picks[d.id] ?? 0) > 0 && <span className="muted"> · yours ×{picks[d.id]}</span>}
              {d.snomedCode && <span className="code"> {d.snomedCode}</span>}
            </li>
          ))}
        </ul>
      )}
      <label htmlFor="diagnosis-free-text">Or free text when nothing fits</label>
      <input
        id="diagnosis-free-text"
        type="text"
        disabled={props.disabled}
        value={props.freeText}
        onChange={(e) => props.onFreeText(e.target.value)}
      />
    </div>
  );
});
