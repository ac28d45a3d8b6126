import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from '../create-core';

export function worklistHandlers(ctx: CoreContext): Pick<Handlers, 'worklist.list'> {
  return {
    'worklist.list': ({ limit, offset, after, search, filter }) =>
      ctx.cases.list({ limit, offset, after, search, filter }),
  };
}
