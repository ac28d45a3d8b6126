import type { RpcResult } from '../../../shared/contract/errors';

/** What the renderer needs from a host: call a method, hear events, and address images. */
export interface Transport {
  invoke(method: string, input: unknown): Promise<RpcResult<unknown>>;
  subscribe(listener: (message: { name: string; payload: unknown }) => void): () => void;
  imageUrl(sha256: string, variant: string): string;
  /**
   * Opens the pop-out viewer as a second page, where the host cannot do it itself (the test host
   * in a browser): null if the browser refused (a pop-up blocker). Absent in Electron, whose shell
   * opens the viewer window on the second display when asked through viewer.follow-case.
   */
  openViewerWindow?(caseId: string): 'opened' | 'blocked';
}

interface Bridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(listener: (message: unknown) => void): () => void;
}

declare global {
  interface Window {
    dermdesk?: Bridge;
  }
}

/** Inside Electron: the preload bridge over IPC; images through the dermdesk-img: protocol. */
function electronTransport(bridge: Bridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input) as Promise<RpcResult<unknown>>,
    subscribe: (listener) => bridge.on((m) => listener(m as { name: string; payload: unknown })),
    imageUrl: (sha256, variant) => `dermdesk-img://${sha256}/${variant}`,
  };
}

const TOKEN_KEY = 'dermdesk.host-token';

/** On the Node test host: HTTP for calls, Server-Sent Events for events, a token from the URL fragment. */
function hostTransport(): Transport {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) sessionStorage.setItem(TOKEN_KEY, fromHash);
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const listeners = new Set<(message: { name: string; payload: unknown }) => void>();
  let source: EventSource | null = null;
  return {
    async invoke(method, input) {
      try {
        const res = await fetch(`/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as RpcResult<unknown>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'DermDesk core is not reachable.' } };
      }
    },
    // One EventSource shared by every subscriber: each is a long-lived HTTP/1.1 connection, and
    // Chromium allows six per host, so one per subscriber left RPC calls queued behind them.
    subscribe(listener) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
        source.onmessage = (e: MessageEvent<string>) => {
          const message = JSON.parse(e.data) as { name: string; payload: unknown };
          for (const l of [...listeners]) l(message);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
    imageUrl: (sha256, variant) => `/img/${sha256}/${variant}?token=${encodeURIComponent(token)}`,
    openViewerWindow(caseId) {
      // The same page at the viewer route; the token travels in the fragment (never sent to a server).
      const hash = new URLSearchParams({ view: 'viewer', case: caseId, token }).toString();
      const opened = window.open(
        `${window.location.origin}${window.location.pathname}#${hash}`,
        'dermdesk-viewer',
        'popup',
      );
      if (!opened) return 'blocked';
      opened.opener = null;
      return 'opened';
    },
  };
}

export function detectTransport(): Transport {
  return window.dermdesk ? electronTransport(window.dermdesk) : hostTransport();
}
