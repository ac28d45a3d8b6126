import type { Handlers } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/errors';
import { formToContent } from '../../../shared/domain/decision-form';
import type { CoreContext } from './core-context';
import { currentConsultant, requireConsultant } from '../decisions/current-consultant';
import { discardDraft, saveDraft } from '../decisions/drafts';
import { signDecision } from '../decisions/sign-decision';
import type { ExportFiles } from '../images/export-annotated';
import { generateLetter } from '../letters/generate-letter';

type DecisionHandlers = Pick<
  Handlers,
  'decision.saveDraft' | 'decision.discardDraft' | 'decision.sign' | 'decision.letter' | 'decision.diagnosisPicks'
>;

export function decisionHandlers(ctx: CoreContext & { files: ExportFiles }): DecisionHandlers {
  return {
    'decision.saveDraft': ({ caseId, form }) => {
      const result = saveDraft(ctx.db, caseId, form, ctx.now());
      ctx.events.emit('worklist.changed', { reason: 'draft saved' });
      return result;
    },
    'decision.discardDraft': ({ caseId }) => {
      discardDraft(ctx.db, caseId);
      ctx.events.emit('worklist.changed', { reason: 'draft discarded' });
      return { discarded: true as const };
    },
    'decision.sign': ({ caseId, form, supersedes }) => {
      const built = formToContent(form);
      if (!built.ok) {
        const first = built.errors[0];
        throw new AppError('validation', first?.message ?? 'The decision is incomplete.', first?.field);
      }
      const consultant = requireConsultant(ctx.db);
      const decision = signDecision(
        ctx.db,
        { caseId, content: built.content, consultant, supersedes },
        ctx.now(),
        ctx.journal,
      );
      ctx.events.emit('worklist.changed', { reason: 'decision signed' });
      return decision;
    },
    'decision.diagnosisPicks': () => {
      const consultant = currentConsultant(ctx.db);
      if (!consultant) return { picks: [] };
      // Counted from the signed decisions themselves (the latest version of each case), so the
      // ranking follows what this consultant actually signs, offline or not.
      const picks = ctx.db
        .prepare(
          `SELECT json_extract(d.decision_json, '$.diagnosis.label') AS label, COUNT(*) AS count
             FROM decisions d
            WHERE json_extract(d.decision_json, '$.signedBy.id') = ?
              AND json_extract(d.decision_json, '$.diagnosis.label') IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM decisions newer WHERE newer.supersedes = d.id)
            GROUP BY label
            ORDER BY count DESC, label
            LIMIT 200`,
        )
        .all(consultant.id) as { label: string; count: number }[];
      return { picks };
    },
    'decision.letter': ({ decisionId }) =>
      generateLetter(ctx.db, ctx.files, decisionId, requireConsultant(ctx.db).id, ctx.now(), ctx.journal),
  };
}
