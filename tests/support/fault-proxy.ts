import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of the real hub that injects transport faults, for the sync
 * client's fault tests. Each request is matched against the current rule, which says what to do
 * to that one exchange. Everything not faulted is forwarded byte for byte.
 */
export type Fault =
  | { kind: 'pass' }
  /** Forward headers and `bytes` of body, then destroy the socket (ECONNRESET on the client). */
  | { kind: 'reset-after'; bytes: number }
  /** Forward headers (with the real Content-Length) and `bytes` of body, then end cleanly: a short body. */
  | { kind: 'truncate-after'; bytes: number }
  /** Forward headers and `bytes` of body, then send nothing more and keep the socket open. */
  | { kind: 'hang-after'; bytes: number }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Answer with this status and a hub-style JSON error, without asking the hub. */
  | { kind: 'status'; status: number; code?: string; message?: string }
  /** Forward, but flip one byte of the body at offset `at` (a silently corrupted image). */
  | { kind: 'flip-byte'; at: number }
  /** Forward, then append `bytes` extra bytes (no Content-Length, chunked): an oversize body. */
  | { kind: 'append'; bytes: number }
  /** Forward, but only after `ms` (a slow link). */
  | { kind: 'delay'; ms: number }
  /** Forward, but only once `until` settles (an answer held back until the test has seen something else). */
  | { kind: 'wait'; until: Promise<unknown> }
  /** Answer 200 with this JSON, without asking the hub (a hub speaking the wrong schema). */
  | { kind: 'json'; body: unknown; status?: number }
  /**
   * Answer with exactly this status, headers and body, without asking the hub (an HTML page, a
   * redirect, a Content-Length the body never reaches); `hold` leaves the socket open and silent.
   */
  | { kind: 'raw'; status: number; headers: Record<string, string>; body: string; hold?: boolean };

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export type FaultRule = (req: ProxiedRequest, index: number) => Fault;

export interface FaultProxy {
  readonly url: string;
  readonly requests: ProxiedRequest[];
  setRule(rule: FaultRule): void;
  setUpstream(url: string): void;
  close(): Promise<void>;
}

export async function startFaultProxy(
  upstream: string,
  rule: FaultRule = () => ({ kind: 'pass' }),
): Promise<FaultProxy> {
  let current = rule;
  let target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const info: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    requests.push(info);
    const fault = current(info, requests.length - 1);
    if (fault.kind === 'hang') return;
    if (fault.kind === 'status') {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: fault.code ?? 'injected', message: fault.message ?? 'Injected fault' } }),
      );
      return;
    }
    if (fault.kind === 'json') {
      req.resume();
      res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fault.body));
      return;
    }
    if (fault.kind === 'raw') {
      req.resume();
      res.writeHead(fault.status, fault.headers);
      if (fault.hold) res.write(fault.body);
      else res.end(fault.body);
      return;
    }
    if (fault.kind === 'delay' || fault.kind === 'wait') {
      req.pause();
      const go = (): void => {
        req.resume();
        proxyTo(req, res, { kind: 'pass' });
      };
      if (fault.kind === 'delay') setTimeout(go, fault.ms);
      else void fault.until.then(go, go);
      return;
    }
    proxyTo(req, res, fault);
  });

  function proxyTo(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    const headers = { ...req.headers, host: target.host };
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (upRes) => forward(upRes, res, fault),
    );
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  }
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function forward(upRes: IncomingMessage, res: ServerResponse, fault: Fault): void {
    const headers = { ...upRes.headers };
    if (fault.kind === 'append') {
      delete headers['content-length'];
    }
    res.writeHead(upRes.statusCode ?? 502, headers);
    let sent = 0;
    const limit =
      fault.kind === 'reset-after' || fault.kind === 'truncate-after' || fault.kind === 'hang-after'
        ? fault.bytes
        : Infinity;
    let stopped = false;
    upRes.on('data', (chunk: Buffer) => {
      if (stopped) return;
      let piece = chunk;
      if (fault.kind === 'flip-byte' && fault.at >= sent && fault.at < sent + piece.length) {
        piece = Buffer.from(piece);
        const i = fault.at - sent;
        piece[i] = (piece[i] ?? 0) ^ 0xff;
      }
      if (sent + piece.length >= limit) {
        piece = piece.subarray(0, limit - sent);
        stopped = true;
      }
      sent += piece.length;
      if (piece.length > 0) res.write(piece);
      if (!stopped) return;
      upRes.destroy();
      // Give the client time to read what was sent: a reset discards unread bytes in its buffer.
      if (fault.kind === 'reset-after') setTimeout(() => res.socket?.resetAndDestroy(), 100);
      else if (fault.kind === 'truncate-after') res.socket?.end();
      // hang-after: leave the socket open and silent.
    });
    upRes.on('end', () => {
      if (stopped) return;
      if (fault.kind === 'append') res.write(Buffer.alloc(fault.bytes, 0x41));
      res.end();
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRule(next) {
      current = next;
    },
    setUpstream(url) {
      target = new URL(url);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
