import { useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { CaseImagesPanel } from '../viewer/case-images-panel';
import { priorCompare, usePriorCompare } from '../viewer/prior-compare';
import { priorOutcomeText } from '../viewer/prior-outcome';

/**
 * Earlier referrals of the same patient, each with what was decided and when; their images one
 * click away, or beside today's images in the viewer (locked zoom, blink and swipe).
 */
export function PriorCases(props: { priorCases: CaseDetailData['priorCases'] }): React.JSX.Element | null {
  const [open, setOpen] = useState<string | null>(null);
  const comparing = usePriorCompare();
  if (props.priorCases.length === 0) return null;
  return (
    <section className="prior-cases" aria-labelledby="prior-heading">
      <h3 id="prior-heading">Earlier cases of this patient</h3>
      <ul>
        {props.priorCases.map((c) => (
          <li key={c.id} data-testid="prior-case" data-source={c.source}>
            <button type="button" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>
              {c.receivedAt.slice(0, 10)}: {c.presentingComplaint} ({c.images.length} image
              {c.images.length === 1 ? '' : 's'})
            </button>
            {c.source === 'hub' && (
              <span
                className="prior-read-only"
                title="Sent by the hub for comparison; it cannot be changed or decided here"
              >
                From the hub · read-only
              </span>
            )}
            <p className="prior-outcome-line">{priorOutcomeText(c)}</p>
            {c.outcome?.planSummary && <p className="prior-plan-line">Plan: {c.outcome.planSummary}</p>}
            {c.images.length > 0 && (
              <button
                type="button"
                aria-pressed={comparing?.id === c.id}
                onClick={() => priorCompare.set(comparing?.id === c.id ? null : c)}
              >
                Compare with today’s images
              </button>
            )}
            {open === c.id && <CaseImagesPanel caseId={c.id} images={c.images} prior />}
          </li>
        ))}
      </ul>
    </section>
  );
}
