import { randomUUID } from 'node:crypto';
import { caseReference } from '../../shared/domain/case-reference';
import { needsPracticeAction } from '../../shared/domain/practice-actions';
import { addWorkingDays, londonDateOf } from '../../shared/domain/working-days';
import type {
  NewOutboundMessage,
  OutcomeDispatch,
  PracticeSettings,
  UndispatchedDecision,
} from '../store/outcome-loop-repository';

/** The practice's page for one case (the link every practice message carries). */
export function practiceCaseLink(publicUrl: string, caseId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/gp/inbox?case=${encodeURIComponent(caseId)}`;
}

/**
 * What dispatching one accepted decision means: the failsafe opens if the practice must act
 * (due after the practice's working days, counted from the London date it was dispatched), and
 * the practice's mailbox is told, with a link and the reference only.
 */
export function planDispatch(
  item: UndispatchedDecision,
  settings: PracticeSettings,
  publicUrl: string,
  now: Date,
): OutcomeDispatch {
  const { decision, record } = item;
  const needsAction = needsPracticeAction(decision);
  const reference = caseReference(record.id);
  const messages: NewOutboundMessage[] = [];
  if (settings.mailbox) {
    const info = decision.outcome.kind === 'more-information';
    messages.push({
      id: randomUUID(),
      dedupeKey: `${info ? 'information-requested' : 'outcome-ready'}:${decision.id}`,
      channel: 'email',
      template: info ? 'information-requested' : 'outcome-ready',
      recipient: settings.mailbox,
      params: { reference, link: practiceCaseLink(publicUrl, record.id) },
      reference,
    });
  }
  return {
    decisionId: decision.id,
    caseId: record.id,
    odsCode: record.practice.odsCode,
    needsAction,
    dueOn: needsAction ? addWorkingDays(londonDateOf(now), settings.failsafeWorkingDays) : null,
    supersedes: decision.supersedes,
    messages,
    now: now.toISOString(),
  };
}
