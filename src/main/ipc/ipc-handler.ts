import { dispatch } from '../../shared/contract/dispatch';
import type { Handlers } from '../../shared/contract';
import type { RpcResult } from '../../shared/contract/errors';
import { isTrustedUrl } from '../security/navigation-policy';

/** The part of Electron's IpcMainInvokeEvent this handler reads; kept structural so it tests without Electron. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/**
 * Only our own renderer may call the core: the frame's URL must be on a trusted origin (our
 * app protocol, or the dev server during `npm run dev`). Anything else, an iframe, a page that
 * navigated away, a destroyed frame, is refused before dispatch (Electron checklist item 17).
 */
export function isTrustedFrame(frame: { url: string } | null, trustedOrigins: readonly string[]): boolean {
  return frame !== null && isTrustedUrl(frame.url, trustedOrigins);
}

export function createIpcHandler(
  handlers: Handlers,
  method: string,
  trustedOrigins: readonly string[],
  log: (message: string, error: unknown) => void = () => {},
): (event: InvokeEventLike, input: unknown) => Promise<RpcResult<unknown>> {
  return async (event, input) => {
    if (!isTrustedFrame(event.senderFrame, trustedOrigins)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Call refused: it did not come from the DermDesk window.' },
      };
    }
    return dispatch(handlers, method, input, log);
  };
}
