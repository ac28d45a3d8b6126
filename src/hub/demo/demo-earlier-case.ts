import { createHash, randomUUID } from 'node:crypto';
import type { HubAdmin } from '../admin/hub-admin';
import type { HubContext } from '../hub-context';
import { DEMO_LETTERHEAD } from '../../shared/domain/letterhead';
import type { Patient, Practice } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';

/** The colleague who decided the demo's earlier case (demo data only; a made-up GMC number). */
const COLLEAGUE = {
  username: 'demo.colleague',
  displayName: 'Dr Rachel Adeyemi',
  gmcNumber: '7000002',
};
const DAY = 86_400_000;

/**
 * One patient of the demo has history: a referral 14 months ago, decided by a colleague, whose
 * photograph a new user sees beside today's (the earlier case travels with the new referral, see
 * shared/hub-api/earlier-cases-api.ts). Seeded decided, so it is never in the pool: the demo's
 * worklist is unchanged. The decision goes through the repository's own acceptance (the hub's
 * clinical rules), as a workstation's would.
 */
export async function seedEarlierCase(
  admin: HubAdmin,
  ctx: HubContext,
  args: { id: string; decisionId: string; patient: Patient; practice: Practice; photo: Buffer; now: number },
): Promise<void> {
  if (await ctx.repo.getCase(args.id)) return;
  const existing = await admin.findUser(COLLEAGUE.username);
  // The colleague never signs in: a random password nobody knows.
  const colleague = existing ?? (await admin.createUser({ ...COLLEAGUE, password: randomUUID() }));
  const receivedAt = new Date(args.now - 420 * DAY).toISOString();
  const record = await admin.addCase({
    id: args.id,
    patient: args.patient,
    practice: args.practice,
    referral: {
      priority: 'routine',
      receivedAt,
      presentingComplaint: 'Raised brown "stuck-on" lesion on the right upper back',
      duration: '1 year',
      evolution: 'Slowly larger; no change in colour',
      site: { region: 'chest-posterior', description: 'Right upper back, near the scapula' },
      symptoms: 'Catches on clothing',
      history: 'Basal cell carcinoma excised from the nose in 2019',
      medication: 'Amlodipine 5 mg',
      allergies: 'Penicillin (rash)',
      riskFactors: ['fair skin', 'previous skin cancer'],
      consent: { given: true, recordedAt: receivedAt, recordedBy: args.practice.clinician },
    },
    images: [{ bytes: args.photo, kind: 'dermoscopy', takenAt: new Date(args.now - 421 * DAY).toISOString() }],
  });
  await admin.reassignCase(record.id, colleague.id);
  const signedAt = new Date(args.now - 418 * DAY).toISOString();
  const decision: SignedDecision = {
    id: args.decisionId,
    caseId: record.id,
    caseVersion: record.version,
    version: 1,
    supersedes: null,
    signedBy: { id: colleague.id, displayName: COLLEAGUE.displayName },
    signedAt,
    outcome: { kind: 'discharge' },
    diagnosis: { snomedCode: '394726009', label: 'Seborrhoeic keratosis' },
    plan: {
      firstLine: 'Benign seborrhoeic keratosis; no treatment needed.',
      nextSteps: 'Reassure. Cryotherapy only if it becomes inflamed or catches repeatedly.',
      reReferral: 'Re-refer if it bleeds, changes quickly or looks different from the others.',
      safetyNetting: 'With her history of basal cell carcinoma, any new or changing lesion should be seen.',
      adviceToGp: 'No follow-up needed from dermatology.',
      leaflets: [],
    },
    downgradeAdvice: null,
    sevenPointScore: null,
  };
  const hash = createHash('sha256').update(JSON.stringify(decision)).digest('hex');
  const accepted = await ctx.repo.acceptDecision(
    colleague.id,
    decision,
    hash,
    record.version,
    signedAt,
    ctx.letterhead ?? DEMO_LETTERHEAD,
  );
  if (!accepted.ok) throw new Error(`demo earlier decision refused: ${accepted.message}`);
}
