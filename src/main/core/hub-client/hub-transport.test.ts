import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HubClient } from './hub-client';
import { getStream, requestBuffered } from './hub-transport';

/**
 * The hub client's node:http transport against a real loopback server that misbehaves the way
 * real ones do: it drops a kept-alive connection instead of answering on it (an idle timeout or
 * a restart racing the next request), and it redirects.
 */
let server: Server;
let base = '';
const seen: Array<{ method: string; url: string; socketRequest: number }> = [];
const perSocket = new WeakMap<Socket, number>();
let otherHostHits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    seen.push({ method: req.method ?? '', url: req.url ?? '', socketRequest: n });
    if (req.url?.startsWith('/elsewhere')) otherHostHits++;
    if (req.url?.includes('/drop-reused') && n > 1) {
      // The second request on a kept-alive socket: close it without a word.
      req.socket.destroy();
      return;
    }
    if (req.url?.includes('/redirect')) {
      res.writeHead(302, { location: `${base}/elsewhere` });
      res.end();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, url: req.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const signal = (): AbortSignal => new AbortController().signal;

describe('hub transport (node:http)', () => {
  it('sends a GET again on a fresh connection when the kept-alive one was dropped unanswered', async () => {
    seen.length = 0;
    const first = await requestBuffered(`${base}/drop-reused/a`, { method: 'GET', headers: {} }, 1024, signal());
    expect(first.status).toBe(200);
    const second = await requestBuffered(`${base}/drop-reused/b`, { method: 'GET', headers: {} }, 1024, signal());
    expect(second.status).toBe(200);
    expect(JSON.parse(second.bytes.toString())).toEqual({ ok: true, url: '/drop-reused/b' });
    // Asked on the reused socket (dropped), then once more on a new one.
    expect(seen.filter((s) => s.url === '/drop-reused/b').map((s) => s.socketRequest)).toEqual([2, 1]);
  });

  it('never repeats a POST without an Idempotency-Key: the dropped connection is an error', async () => {
    seen.length = 0;
    await requestBuffered(`${base}/drop-reused/c`, { method: 'GET', headers: {} }, 1024, signal());
    await expect(
      requestBuffered(`${base}/drop-reused/claim`, { method: 'POST', headers: {}, body: '{}' }, 1024, signal()),
    ).rejects.toThrow(/socket hang up/);
    expect(seen.filter((s) => s.url === '/drop-reused/claim')).toHaveLength(1);
  });

  it('repeats a POST that carries an Idempotency-Key (the hub answers a repeat with the original)', async () => {
    seen.length = 0;
    await requestBuffered(`${base}/drop-reused/d`, { method: 'GET', headers: {} }, 1024, signal());
    const res = await requestBuffered(
      `${base}/drop-reused/decision`,
      { method: 'POST', headers: { 'Idempotency-Key': 'd-1' }, body: '{}' },
      1024,
      signal(),
    );
    expect(res.status).toBe(200);
  });

  it('cuts a body at the limit without reading the rest', async () => {
    const res = await requestBuffered(`${base}/small`, { method: 'GET', headers: {} }, 5, signal());
    expect(res.bytes.length).toBeGreaterThanOrEqual(5);
    expect(res.bytes.length).toBeLessThan(100);
  });

  it('an aborted request fails at once instead of waiting for the hub', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(getStream(`${base}/small`, { method: 'GET', headers: {} }, controller.signal)).rejects.toThrow();
  });

  it('a redirect from the hub is reported as not the API and never followed', async () => {
    otherHostHits = 0;
    const client = new HubClient({ baseUrl: base, token: 'secret-token' });
    await expect(client.json('GET', '/redirect', z.object({ ok: z.boolean() }))).rejects.toThrow(
      /does not match the API \(a 302 redirect, which DermDesk does not follow\)/,
    );
    await expect(client.send('POST', '/redirect')).rejects.toMatchObject({ kind: 'http', status: 302 });
    expect(otherHostHits).toBe(0);
  });
});
