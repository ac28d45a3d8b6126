import { randomUUID } from 'node:crypto';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorAuditInput, DoorsRepository } from '../store/hub-repository';
import { manifestEntry, markCited } from '../intake/create-case';
import type { ValidImage } from '../intake/validate-submission';
import type { InformationAnswer } from '../../shared/domain/case';
import { linkSubmittedAudit, type LinkSubmission } from '../patient-links/link-audit';

export type AnswerResult =
  | { ok: true; caseId: string; version: number; status: string }
  | { ok: false; status: number; code: string; message: string };

/**
 * Answers a consultant's request for more information on the SAME case: new images join the
 * case, the note joins the history, and one repository transaction bumps the version, sends the
 * case back to triage (its consultant's worklist, or the pool), records and audits the answer
 * and spends the patient link it came through (if any). A case that changed since it was read
 * is a conflict, never a lost update.
 */
export async function answerInformation(
  deps: DoorsDeps,
  store: DoorsRepository,
  args: {
    caseId: string;
    odsCode: string;
    note: string;
    images: ValidImage[];
    by: string;
    via: 'practice' | 'patient-link';
    link?: LinkSubmission;
  },
): Promise<AnswerResult> {
  const kase = await store.practiceCase(args.caseId);
  if (!kase || kase.row.record.practice.odsCode !== args.odsCode)
    return { ok: false, status: 404, code: 'not-found', message: 'No such case for your practice.' };
  const { row, latest } = kase;
  if (row.status !== 'awaiting-information' || latest?.outcome.kind !== 'more-information')
    return { ok: false, status: 409, code: 'conflict', message: 'This case is not waiting for more information.' };
  if (kase.answeredAt)
    return { ok: false, status: 409, code: 'conflict', message: 'This request was already answered.' };
  for (const image of args.images) if (image.data) await deps.putImage(image.sha256, image.data);
  const now = deps.now().toISOString();
  const known = new Set(row.record.images.map((i) => i.sha256));
  const added = args.images.filter((i) => !known.has(i.sha256)).map(manifestEntry);
  const { version: _v, ...record } = row.record;
  const stamp = `[${now.slice(0, 16).replace('T', ' ')} UTC, ${args.via === 'patient-link' ? 'from the patient' : 'from the practice'}] ${args.note}`;
  const audit: DoorAuditInput[] = [
    {
      actor: args.by,
      action: 'information.answered',
      subject: args.caseId,
      detail: { via: args.via, images: added.length, decisionId: latest.id },
      at: now,
    },
  ];
  if (args.link) audit.push(linkSubmittedAudit(args.by, args.link, args.caseId, now));
  const images = [...record.images, ...added].slice(0, 30);
  const kept = new Set(images.map((i) => i.id));
  // The answer travels on the case itself, so the consultant's workstation knows which decision
  // it answers, what the referrer wrote and which photographs are new (shared/domain/case.ts).
  const answer: InformationAnswer = {
    decisionId: latest.id,
    at: now,
    from: args.via === 'patient-link' ? 'patient' : 'practice',
    note: args.note.slice(0, 5000),
    imageIds: added.filter((i) => kept.has(i.id)).map((i) => i.id),
  };
  const result = await store.answerInformation({
    caseId: args.caseId,
    odsCode: args.odsCode,
    expectedVersion: row.record.version,
    decisionId: latest.id,
    record: {
      ...record,
      images,
      informationAnswers: [...(record.informationAnswers ?? []), answer].slice(-50),
      referral: {
        ...record.referral,
        history: [record.referral.history, stamp].filter(Boolean).join('\n\n').slice(0, 10000),
      },
    },
    leaseExpiresAt: deps.leaseEnd(),
    response: { id: randomUUID(), by: args.by, note: args.note, imageCount: added.length },
    audit,
    now,
    ...(args.link ? { spendLinkId: args.link.id } : {}),
  });
  if (!result.ok) return result;
  await markCited(store, args.images, now);
  // The practice acted on the request: the failsafe on it closes (the new decision opens its own).
  await deps.repo.outcomes.closeOutcome(latest.id, 'answered', args.by, now);
  return { ok: true, caseId: args.caseId, version: result.version, status: result.status };
}
