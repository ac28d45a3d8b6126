import {
  sevenPointLabels,
  sevenPointMajor,
  sevenPointMinor,
  sevenPointScore,
  type SevenPointAnswers,
} from '../../../../shared/domain/seven-point-checklist';

/** The weighted 7-point checklist (NICE NG12) as an optional aid: its score and what it implies. */
export function SevenPointPanel(props: {
  answers: SevenPointAnswers;
  disabled: boolean;
  onChange: (answers: SevenPointAnswers) => void;
}): React.JSX.Element {
  const result = sevenPointScore(props.answers);
  const box = (f: keyof typeof sevenPointLabels, weight: number): React.JSX.Element => (
    <label key={f} className="check">
      <input
        type="checkbox"
        checked={props.answers[f] === true}
        disabled={props.disabled}
        onChange={(e) => props.onChange({ ...props.answers, [f]: e.target.checked })}
      />
      {sevenPointLabels[f]} ({weight})
    </label>
  );
  return (
    <fieldset className="seven-point" data-testid="seven-point">
      <legend>Weighted 7-point checklist (NICE NG12)</legend>
      <div className="check-columns">
        <div>
          <p className="muted">Major features (2 points)</p>
          {sevenPointMajor.map((f) => box(f, 2))}
        </div>
        <div>
          <p className="muted">Minor features (1 point)</p>
          {sevenPointMinor.map((f) => box(f, 1))}
        </div>
      </div>
      <p className={result.suggestsSuspectedCancerPathway ? 'warn-banner' : 'muted'} data-testid="seven-point-score">
        {result.implication}
      </p>
    </fieldset>
  );
}
