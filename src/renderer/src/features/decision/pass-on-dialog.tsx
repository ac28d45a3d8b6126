import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';

/** Hand the case to a named colleague, a subspecialty, or back to the pool, with a note. */
export function PassOnDialog(props: { caseId: string; onDone: () => void; onCancel: () => void }): React.JSX.Element {
  const [kind, setKind] = useState<'consultant' | 'subspecialty' | 'pool'>('consultant');
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  useEffect(() => firstRef.current?.focus(), []);
  const submit = (): void => {
    const to =
      kind === 'consultant'
        ? ({ kind, consultantId: name } as const)
        : kind === 'subspecialty'
          ? ({ kind, subspecialty: name } as const)
          : ({ kind } as const);
    api
      .call('case.passOn', { caseId: props.caseId, to, note })
      .then(props.onDone, (e: unknown) => setError(errorMessage(e)));
  };
  return (
    <div className="overlay" role="presentation">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pass-on-title"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onCancel();
          }
        }}
      >
        <h2 id="pass-on-title">Pass to a colleague</h2>
        <fieldset>
          <legend>Pass to</legend>
          <label className="check">
            <input
              ref={firstRef}
              type="radio"
              name="pass-kind"
              checked={kind === 'consultant'}
              onChange={() => setKind('consultant')}
            />
            A named consultant
          </label>
          <label className="check">
            <input
              type="radio"
              name="pass-kind"
              checked={kind === 'subspecialty'}
              onChange={() => setKind('subspecialty')}
            />
            A subspecialty
          </label>
          <label className="check">
            <input type="radio" name="pass-kind" checked={kind === 'pool'} onChange={() => setKind('pool')} />
            Back to the hub for reassignment
          </label>
        </fieldset>
        {kind !== 'pool' && (
          <label>
            {kind === 'consultant' ? 'Consultant (hub user id)' : 'Subspecialty'}
            <input type="text" required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <label>
          Note for your colleague
          <textarea required rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error && (
          <p className="error-state" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel (Esc)
          </button>
          <button type="submit" className="primary">
            Pass on
          </button>
        </div>
      </form>
    </div>
  );
}
