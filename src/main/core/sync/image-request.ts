import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * A streaming GET on node:http(s), for image bytes: the transfer path of a sync. It costs about a
 * third of the CPU of fetch() per image (no WHATWG Request/Headers/stream objects per request and
 * per chunk), which on a loaded two-core workstation is the difference between hashing and
 * encrypting photographs as fast as they arrive or not. Keep-alive sockets are reused between
 * images; aborting `signal` destroys the request and its response (the caller's idle watchdog).
 * Resolves with the response head; the body is the returned stream, read once.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }),
};

export function getStream(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'GET', headers, agent: agents[target.protocol], signal }, resolve);
    // Errors after the head (reset, abort) also reach the response stream, where the reader sees them.
    req.on('error', reject);
    req.end();
  });
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
