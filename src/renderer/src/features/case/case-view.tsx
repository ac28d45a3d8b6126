import { useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { DecisionPanel } from '../decision/decision-panel';
import { useCommands } from '../shortcuts/command-bus';
import { CaseImagesPanel } from '../viewer/case-images-panel';
import { CaseHeader } from './case-header';
import { ReferralColumn } from './referral-column';
import { loadReferralOpen, saveReferralOpen } from './referral-fold';

/**
 * The open case, image first: a two-line header, then three columns that fill the window without
 * scrolling the page: the referral (foldable), the images (all the remaining width and height, on
 * a dark ground), the decision. Each column scrolls on its own; the images never move.
 */
export function CaseView(props: {
  detail: CaseDetailData;
  onChanged: () => void;
  onCaseClosed: () => void;
}): React.JSX.Element {
  const { detail } = props;
  const record = detail.record;
  const [referralOpen, setReferralOpen] = useState(loadReferralOpen);
  const toggleReferral = (): void =>
    setReferralOpen((open) => {
      saveReferralOpen(!open);
      return !open;
    });
  useCommands((name) => {
    if (name !== 'case.toggle-referral') return false;
    toggleReferral();
    return true;
  });

  return (
    <article className="case-view" data-testid="case-view" aria-labelledby="case-title">
      <CaseHeader detail={detail} />
      {detail.answer && <AnswerBanner answer={detail.answer} />}
      {detail.state === 'needs-review' && detail.stateNote && (
        <p className="warn-banner" role="alert">
          Needs review after sync: {detail.stateNote}
        </p>
      )}
      <div className={`case-body${referralOpen ? '' : ' referral-folded'}`}>
        <ReferralColumn detail={detail} open={referralOpen} onToggle={toggleReferral} />
        {/* The viewer's keys apply while the focus is anywhere in here (features/shortcuts/key-map.ts). */}
        <section className="images-column" aria-label="Images" data-key-mode="viewer" tabIndex={-1}>
          <CaseImagesPanel
            caseId={record.id}
            images={record.images}
            {...(detail.answer ? { newImageIds: detail.answer.imageIds } : {})}
          />
        </section>
        <div className="decision-column">
          <DecisionPanel detail={detail} onChanged={props.onChanged} onCaseClosed={props.onCaseClosed} />
        </div>
      </div>
    </article>
  );
}

/** The referrer's answer to the consultant's request for more information, above the case. */
function AnswerBanner(props: { answer: NonNullable<CaseDetailData['answer']> }): React.JSX.Element {
  const { answer } = props;
  const n = answer.imageIds.length;
  return (
    <section className="answer-banner" aria-label="Answer to your request" data-testid="answer-banner">
      <p>
        <strong>{answer.from === 'patient' ? 'Answer from the patient' : 'Answer from the practice'}</strong>,{' '}
        {answer.at.slice(0, 16).replace('T', ' ')} UTC
        {n > 0 ? ` · ${n === 1 ? '1 new photograph' : `${n} new photographs`}, shown beside the earlier one` : ''}
      </p>
      <p data-testid="answer-note">{answer.note}</p>
    </section>
  );
}
