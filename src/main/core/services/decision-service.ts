import type { Handlers } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/errors';
import { formToContent } from '../../../shared/domain/decision-form';
import type { CoreContext } from '../create-core';
import { requireConsultant } from '../decisions/current-consultant';
import { discardDraft, saveDraft } from '../decisions/drafts';
import { signDecision } from '../decisions/sign-decision';
import type { ExportFiles } from '../images/export-annotated';
import { generateLetter } from '../letters/generate-letter';

type DecisionHandlers = Pick<
  Handlers,
  'decision.saveDraft' | 'decision.discardDraft' | 'decision.sign' | 'decision.letter'
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
      const decision = signDecision(ctx.db, { caseId, content: built.content, consultant, supersedes }, ctx.now());
      ctx.events.emit('worklist.changed', { reason: 'decision signed' });
      return decision;
    },
    'decision.letter': ({ decisionId }) =>
      generateLetter(ctx.db, ctx.files, decisionId, requireConsultant(ctx.db).id, ctx.now()),
  };
}
