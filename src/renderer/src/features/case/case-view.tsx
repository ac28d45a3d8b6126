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
      {detail.state === 'needs-review' && detail.stateNote && (
        <p className="warn-banner" role="alert">
          Needs review after sync: {detail.stateNote}
        </p>
      )}
      <div className={`case-body${referralOpen ? '' : ' referral-folded'}`}>
        <ReferralColumn detail={detail} open={referralOpen} onToggle={toggleReferral} />
        {/* The viewer's keys apply while the focus is anywhere in here (features/shortcuts/key-map.ts). */}
        <section className="images-column" aria-label="Images" data-key-mode="viewer" tabIndex={-1}>
          <CaseImagesPanel caseId={record.id} images={record.images} />
        </section>
        <div className="decision-column">
          <DecisionPanel detail={detail} onChanged={props.onChanged} onCaseClosed={props.onCaseClosed} />
        </div>
      </div>
    </article>
  );
}
