import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * The hub client's transport: node:http(s) with keep-alive sockets. A request through it costs
 * about a third of the CPU of fetch() (no WHATWG Request/Headers/stream objects per request and
 * per chunk), which on a loaded two-core workstation decides whether a sync can hash and encrypt
 * photographs as fast as they arrive. Redirects are never followed (a hub that answers 3xx is
 * reported, its target is never asked with or without the token). Aborting `signal` destroys the
 * request and its response (timeouts, the image store's idle watchdog).
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
};

export interface RequestInit {
  method: string;
  headers: OutgoingHttpHeaders;
  body?: string | undefined;
}

/**
 * Resolves with the response head; the body is the returned stream, read once.
 *
 * A kept-alive socket the hub closed while it sat idle (its keep-alive timeout, a restart) fails
 * the next request on it before any answer; as Node's documentation advises, such a request is
 * sent again on a fresh connection, but only when repeating it is harmless (GET, or a request
 * carrying an Idempotency-Key).
 */
export function getStream(url: string, init: RequestInit, signal: AbortSignal): Promise<IncomingMessage> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  }
  const repeatable =
    init.method === 'GET' || Object.keys(init.headers).some((h) => h.toLowerCase() === 'idempotency-key');
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agents[target.protocol];
  const headers = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
  const once = (): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const req = send(target, { method: init.method, headers, agent, signal }, resolve);
      // Errors after the head (reset, abort) also reach the response stream, where the reader sees them.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && error.code === 'ECONNRESET' && repeatable && !signal.aborted) reject(STALE);
        else reject(error);
      });
      req.end(init.body);
    });
  const attempt = async (left: number): Promise<IncomingMessage> => {
    try {
      return await once();
    } catch (error) {
      if (error === STALE && left > 0) return attempt(left - 1);
      throw error === STALE ? new Error('socket hang up') : error;
    }
  };
  // Every idle socket to the hub may be stale (it restarted): a few more tries, each on another socket.
  return attempt(10);
}

const STALE = new Error('stale keep-alive socket');

export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most `limit` bytes of the body: a longer body is cut there (the caller refuses it). */
  bytes: Buffer;
}

/** A whole request whose body is read into memory, at most `limit` bytes of it (then the socket is dropped). */
export async function requestBuffered(
  url: string,
  init: RequestInit,
  limit: number,
  signal: AbortSignal,
): Promise<BufferedResponse> {
  const res = await getStream(url, init, signal);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the response: a huge body is never read to its end.
    if (size >= limit) break;
  }
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
  };
}

/** Reads at most `limit` bytes of a response as text (an error body), then drops the rest. */
export async function readSmallText(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // A cut error body: keep what arrived.
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
