import type { Handlers } from '../../../shared/contract';
import { readCaseDetail } from '../cases/case-detail';
import { passOnCase } from '../cases/pass-on';
import type { CoreContext } from './core-context';
import { currentConsultant, NOT_SIGNED_IN, requireConsultant } from '../decisions/current-consultant';

export function caseHandlers(ctx: CoreContext): Pick<Handlers, 'case.get' | 'case.passOn'> {
  return {
    'case.get': ({ caseId }) =>
      readCaseDetail(ctx.db, caseId, currentConsultant(ctx.db)?.id ?? NOT_SIGNED_IN, ctx.now(), ctx.journal),
    'case.passOn': ({ caseId, to, note }) => {
      const consultant = requireConsultant(ctx.db);
      const result = passOnCase(ctx.db, { caseId, to, note, actor: consultant.id }, ctx.now(), ctx.journal);
      ctx.events.emit('worklist.changed', { reason: 'case passed on' });
      return result;
    },
  };
}
