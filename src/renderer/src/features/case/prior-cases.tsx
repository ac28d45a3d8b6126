import { useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { CaseImagesPanel } from '../viewer/case-images-panel';

/** Earlier referrals of the same patient; their images one click away. */
export function PriorCases(props: { priorCases: CaseDetailData['priorCases'] }): React.JSX.Element | null {
  const [open, setOpen] = useState<string | null>(null);
  if (props.priorCases.length === 0) return null;
  return (
    <section className="prior-cases" aria-labelledby="prior-heading">
      <h3 id="prior-heading">Earlier cases of this patient</h3>
      <ul>
        {props.priorCases.map((c) => (
          <li key={c.id}>
            <button type="button" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>
              {c.receivedAt.slice(0, 10)}: {c.presentingComplaint} ({c.images.length} image
              {c.images.length === 1 ? '' : 's'})
            </button>
            {open === c.id && <CaseImagesPanel caseId={c.id} images={c.images} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
