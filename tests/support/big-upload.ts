import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface BigUploadResult {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** Body bytes the client had written when the response's headers arrived. */
  sentWhenAnswered: number;
  /** Milliseconds from the request's start to the response's headers. */
  answeredAfterMs: number;
}

/**
 * POSTs a `totalBytes` body (generated chunk by chunk, never held whole) and reports the answer
 * and how much of the body had been written when it came: a hub that refuses from the headers
 * answers after a few chunks; one that reads the body first answers after all of them.
 * Writing stops as soon as the answer arrives (or the hub closes the connection).
 */
export function bigUpload(
  url: string,
  totalBytes: number,
  headers: Record<string, string>,
  /** chunked: no Content-Length (Transfer-Encoding: chunked), so only a limit applied while reading can stop it. */
  options: { chunkBytes?: number; ca?: string; chunked?: boolean } = {},
): Promise<BigUploadResult> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 256 * 1024, 0x61);
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = make(
      target,
      {
        method: 'POST',
        headers: options.chunked ? headers : { ...headers, 'content-length': String(totalBytes) },
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        answered = true;
        const sentWhenAnswered = sent;
        const answeredAfterMs = performance.now() - started;
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            headers: res.headers,
            sentWhenAnswered,
            answeredAfterMs,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      // The hub closing the connection while we still write is expected after its answer.
      if (!answered) reject(error);
    });
    const pump = (): void => {
      while (!answered && sent < totalBytes) {
        const n = Math.min(chunk.length, totalBytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && sent >= totalBytes) req.end();
    };
    pump();
  });
}
