import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './core-context';

export function worklistHandlers(ctx: CoreContext): Pick<Handlers, 'worklist.list'> {
  return {
    'worklist.list': ({ limit, offset, after, search, filter, sort }) =>
      ctx.cases.list({ limit, offset, after, search, filter, sort }),
  };
}
