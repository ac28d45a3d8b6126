import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { AppErrorData } from '../../../shared/contract/errors';
import { detectTransport, type Transport } from './transport';

/** A failed call as the UI sees it: the code, a message a consultant can act on, the field at fault. */
export class ApiError extends Error {
  constructor(readonly data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
  }
}

/**
 * What to show for a failed call: the core's own message when the failure came from the contract
 * (it is written for the consultant), else the caller's fallback (a bug or a transport failure,
 * whose details mean nothing to the consultant).
 */
export function errorMessage(error: unknown, fallback = 'Unexpected error'): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** The renderer's one typed client. It never knows whether Electron or the test host is behind it. */
export class ApiClient {
  constructor(private readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.transport.invoke(method, input);
    if (!result.ok) throw new ApiError(result.error);
    return result.value as MethodOutput<M>;
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.subscribe((message) => {
      if (message.name === name) listener(message.payload as EventPayload<E>);
    });
  }

  imageUrl(sha256: string, variant: string): string {
    return this.transport.imageUrl(sha256, variant);
  }

  /**
   * Pops the viewer out for a case: 'shell' when the app's shell opens the window (asked through
   * viewer.follow-case), 'opened' or 'blocked' when this page opened (or failed to open) it itself.
   */
  openViewerWindow(caseId: string): 'shell' | 'opened' | 'blocked' {
    return this.transport.openViewerWindow ? this.transport.openViewerWindow(caseId) : 'shell';
  }
}

export const api = new ApiClient(detectTransport());
