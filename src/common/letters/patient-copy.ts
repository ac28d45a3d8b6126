import type { CaseRecord } from '../../shared/domain/case';
import { caseReference } from '../../shared/domain/case-reference';
import type { SignedDecision } from '../../shared/domain/decision';
import { PLAIN_SAFETY_NET, plainLanguageOutcome } from '../../shared/domain/plain-language-outcome';
import { londonDateOf } from '../../shared/domain/working-days';
import { letterContent, type LetterContent, type LetterOptions } from './letter-content';
import { renderLetterPdf } from './outcome-letter';

export const PATIENT_COPY_TITLE = 'Your skin photographs: what happens next';

/**
 * The patient's copy of the outcome, in plain words (only where the practice opted in): the
 * same letterhead, date and reference as the GP's letter, then what was decided and what happens
 * next (shared/domain/plain-language-outcome.ts), the consultant's safety-netting advice written
 * for the patient, and the leaflets. No diagnosis, no clinical plan and never the advice to the
 * referrer about a suspected-cancer referral: the GP practice has the full letter and explains it.
 * Laid out by the same renderer as the GP's letter. Pure.
 */
export function patientCopyContent(
  record: CaseRecord,
  decision: SignedDecision,
  options: Pick<LetterOptions, 'letterhead'> = {},
): LetterContent {
  const gpLetter = letterContent(record, decision, options);
  const p = record.patient;
  const plain = plainLanguageOutcome(decision.outcome, record.referral.priority);
  const sections = [
    { heading: 'What the skin specialist decided', lines: [plain.headline, ...plain.next] },
    {
      heading: 'What to look out for',
      lines: [decision.plan.safetyNetting.trim(), PLAIN_SAFETY_NET].filter((l) => l !== ''),
    },
  ];
  if (decision.plan.leaflets.length > 0)
    sections.push({
      heading: 'Information for you',
      lines: decision.plan.leaflets.map((l) => `${l.title}: ${l.url}`),
    });
  sections.push({
    heading: 'Questions',
    lines: [
      `Contact your GP practice, ${record.practice.name}, and quote the reference ${caseReference(record.id)}.`,
      'Your GP practice has the full letter from the skin specialist.',
    ],
  });
  const [y, m, d] = londonDateOf(decision.signedAt).split('-');
  return {
    letterhead: gpLetter.letterhead,
    date: `Date: ${d}/${m}/${y}`,
    references: [`Reference: ${caseReference(record.id)}`],
    to: [`${p.givenName} ${p.familyName}`, ...(p.address ?? [])],
    salutation: `Dear ${p.givenName} ${p.familyName}`,
    title: PATIENT_COPY_TITLE,
    patient: [],
    patientLine: `${p.givenName} ${p.familyName.toUpperCase()}`,
    sections,
    signature: ['The skin specialist team', gpLetter.letterhead[0] ?? ''].filter((l) => l !== ''),
  };
}

/** The patient's copy as a PDF (no key image: photographs of the skin stay with the clinicians). */
export function renderPatientCopyPdf(
  record: CaseRecord,
  decision: SignedDecision,
  options: Pick<LetterOptions, 'letterhead'> & { createdAt?: Date } = {},
): Promise<Buffer> {
  return renderLetterPdf(patientCopyContent(record, decision, options), null, options.createdAt);
}
