import { randomUUID } from 'node:crypto';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsStore } from '../intake/doors-store';
import { manifestEntry } from '../intake/create-case';
import type { ValidImage } from '../intake/validate-submission';

export type AnswerResult =
  | { ok: true; caseId: string; version: number; status: string }
  | { ok: false; status: number; code: string; message: string };

/**
 * Answers a consultant's request for more information on the SAME case: new images join the
 * case, the note joins the history, and the core's updateCase bumps the version and sends the
 * case back to triage (its consultant's worklist, or the pool).
 */
export async function answerInformation(
  deps: DoorsDeps,
  store: DoorsStore,
  args: {
    caseId: string;
    odsCode: string;
    note: string;
    images: ValidImage[];
    by: string;
    via: 'practice' | 'patient-link';
  },
): Promise<AnswerResult> {
  const row = await deps.repo.getCase(args.caseId);
  if (!row || row.record.practice.odsCode !== args.odsCode)
    return { ok: false, status: 404, code: 'not-found', message: 'No such case for your practice.' };
  const latest = (await deps.repo.decisionsForCase(args.caseId)).at(-1)?.decision;
  if (row.status !== 'awaiting-information' || latest?.outcome.kind !== 'more-information')
    return { ok: false, status: 409, code: 'conflict', message: 'This case is not waiting for more information.' };
  if (store.infoResponseFor(latest.id))
    return { ok: false, status: 409, code: 'conflict', message: 'This request was already answered.' };
  for (const image of args.images) await deps.putImage(image.sha256, image.data);
  const now = deps.now().toISOString();
  const known = new Set(row.record.images.map((i) => i.sha256));
  const added = args.images.filter((i) => !known.has(i.sha256)).map(manifestEntry);
  const { version: _v, ...record } = row.record;
  const stamp = `[${now.slice(0, 16).replace('T', ' ')} UTC, ${args.via === 'patient-link' ? 'from the patient' : 'from the practice'}] ${args.note}`;
  const updated = await deps.repo.updateCase(
    args.caseId,
    {
      ...record,
      images: [...record.images, ...added].slice(0, 30),
      referral: {
        ...record.referral,
        history: [record.referral.history, stamp].filter(Boolean).join('\n\n').slice(0, 10000),
      },
    },
    deps.leaseEnd(),
    now,
  );
  store.recordInfoResponse({
    id: randomUUID(),
    caseId: args.caseId,
    decisionId: latest.id,
    by: args.by,
    note: args.note,
    imageCount: added.length,
    at: now,
  });
  // The practice acted on the request: the failsafe on it closes (the new decision opens its own).
  await deps.repo.outcomes.closeOutcome(latest.id, 'answered', args.by, now);
  store.audit(
    args.by,
    'information.answered',
    args.caseId,
    { via: args.via, images: added.length, decisionId: latest.id },
    now,
  );
  return { ok: true, caseId: args.caseId, version: updated.record.version, status: updated.status };
}
