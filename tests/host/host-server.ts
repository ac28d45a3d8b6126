import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { dispatch } from '../../src/shared/contract/dispatch';
import type { RpcResult } from '../../src/shared/contract/errors';
import type { Core } from '../../src/main/core/create-core';
import { resolveBundlePath } from '../../src/main/protocol/bundle-path';

/**
 * The Node test host: the same core the Electron app runs, reached over HTTP instead of IPC, so
 * Playwright can drive the real renderer in Debian's Chromium. Loopback only, one random token
 * per run, never packaged.
 */
export interface HostServer {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_RPC_BODY = 5 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const STATUS_FOR_ERROR: Record<string, number> = {
  validation: 400,
  'unknown-method': 404,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  locked: 423,
};

export async function startHostServer(options: {
  core: Core;
  rendererDir: string;
  port?: number;
  token?: string;
}): Promise<HostServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const clients = new Set<ServerResponse>();
  const unsubscribe = options.core.events.subscribe((name, payload) => {
    const frame = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`;
    for (const res of clients) res.write(frame);
  });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'Host error' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rpc = /^\/rpc\/([A-Za-z0-9._-]+)$/.exec(url.pathname);
    if (rpc) {
      if (req.method !== 'POST')
        return send(res, 405, { ok: false, error: { code: 'validation', message: 'Use POST' } });
      if (!authorised(req.headers.authorization?.replace(/^Bearer /, ''))) return forbidden(res);
      const body = await readJson(req);
      if (!body.ok) {
        // The rest of an oversize body is never read: close the connection rather than reuse it.
        res.setHeader('connection', 'close');
        return send(res, 400, { ok: false, error: { code: 'validation', message: body.message } });
      }
      const result = await dispatch(options.core.handlers, rpc[1] ?? '', body.value, (message, error) =>
        options.core.logger.error({ err: error, method: rpc[1] }, message),
      );
      return send(res, result.ok ? 200 : (STATUS_FOR_ERROR[result.error.code] ?? 500), result);
    }
    if (url.pathname === '/events') {
      if (!authorised(url.searchParams.get('token'))) return forbidden(res);
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const img = /^\/img\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (img) {
      if (!authorised(url.searchParams.get('token'))) return forbidden(res);
      void options.core.readImage(decodeURIComponent(img[1] ?? ''), decodeURIComponent(img[2] ?? '')).then((file) => {
        if (!file.ok) return send(res, file.status, { ok: false, error: { code: 'not-found', message: file.message } });
        res.writeHead(200, { 'content-type': file.mediaType, 'cache-control': 'private, max-age=31536000, immutable' });
        res.end(file.bytes);
      });
      return;
    }
    if (req.method === 'GET') return serveStatic(url.pathname, res);
    send(res, 404, { ok: false, error: { code: 'not-found', message: 'No such route' } });
  }

  function authorised(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const file = resolveBundlePath(options.rendererDir, pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      return send(res, 404, { ok: false, error: { code: 'not-found', message: 'Not found' } });
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of clients) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function forbidden(res: ServerResponse): void {
  send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong host token' } });
}

function send(res: ServerResponse, status: number, body: RpcResult<unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_RPC_BODY) return { ok: false, message: 'Request body is larger than 5 MB' };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, message: 'Request body is not valid JSON' };
  }
}
