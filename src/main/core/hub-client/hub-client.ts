import type { z } from 'zod';
import { HUB_API_PREFIX, hubErrorSchema } from '../../../shared/hub-api/consultant-api';
import type { Readable } from 'node:stream';
import { getStream, readSmallText, requestBuffered, type BufferedResponse } from './hub-transport';

/**
 * Why a hub request failed, in the terms the sync client and the outbox act on:
 * - network: no connection, reset, refused, DNS (retry later; the cache stays usable);
 * - timeout: the hub stopped answering (same handling as network);
 * - http: the hub answered with a non-2xx status (status and the hub's error code kept);
 * - malformed: the hub answered 2xx with something that is not what the API promises
 *   (wrong schema, not JSON, too large). Nothing from such a response is used.
 */
/** The head of an image download and its body, as the store reads it. */
export interface ImageResponse {
  status: number;
  /** The Content-Range header of a 206 ("bytes N-M/T"), else null. */
  contentRange: string | null;
  /** The body, read once; destroying it ends the transfer. */
  body: Readable;
}

export type HubFailureKind = 'network' | 'timeout' | 'http' | 'malformed';

export class HubRequestError extends Error {
  constructor(
    readonly kind: HubFailureKind,
    message: string,
    readonly status: number | null = null,
    readonly hubCode: string | null = null,
  ) {
    super(message);
    this.name = 'HubRequestError';
  }

  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || (this.status !== null && this.status >= 500);
  }
}

export interface HubClientOptions {
  baseUrl: string;
  token?: string | null;
  /** A JSON request that has not completed by then fails as `timeout`. */
  timeoutMs?: number;
  /** Largest JSON body accepted; anything bigger is refused as malformed (a hostile or broken hub). */
  maxJsonBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_JSON_BYTES = 2 * 1024 * 1024;

/** The hub's consultant API over node:http(s) (hub-transport.ts): one place for auth headers, timeouts, size limits and response validation. */
export class HubClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxJsonBytes: number;

  constructor(private readonly options: HubClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  }

  url(path: string): string {
    return `${this.baseUrl}${HUB_API_PREFIX}${path}`;
  }

  /**
   * Sends a request and validates a 2xx JSON body with `schema`. Non-2xx statuses throw `http`
   * with the hub's error message; a redirect, a body that is not JSON, too large, or fails the
   * schema throws `malformed`.
   */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; value: z.output<S> }> {
    const res = await this.exchange(method, path, options);
    if (res.status >= 300 && res.status < 400) {
      // Never followed: another address answering for the hub is not the API.
      throw new HubRequestError(
        'malformed',
        `The hub's response for ${path} does not match the API (a ${res.status} redirect, which DermDesk does not follow).`,
        res.status,
      );
    }
    if (res.status < 200 || res.status >= 300) throw errorFromBody(res.status, errorText(res.bytes), path);
    if (res.bytes.byteLength > this.maxJsonBytes) {
      throw new HubRequestError(
        'malformed',
        `The hub's response for ${path} is larger than ${this.maxJsonBytes} bytes and was refused.`,
        res.status,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(res.bytes));
    } catch {
      throw new HubRequestError('malformed', `The hub sent a response that is not JSON for ${path}.`, res.status);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown field';
      throw new HubRequestError('malformed', `The hub's response for ${path} does not match the API (${where}).`);
    }
    return { status: res.status, value: result.data };
  }

  /**
   * Sends a request without a response schema (e.g. 204 routes); throws `http` on any non-2xx
   * (a redirect included: it is reported, not followed).
   */
  async send(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const res = await this.exchange(method, path, options);
    if (res.status < 200 || res.status >= 300) throw errorFromBody(res.status, errorText(res.bytes), path);
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    return new Response(res.status === 204 ? null : new Uint8Array(res.bytes), { status: res.status, headers });
  }

  /** One request with the whole exchange (connect, head, body) bounded by the timeout; the body is capped. */
  private async exchange(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> },
  ): Promise<BufferedResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.timeoutMs);
    try {
      return await requestBuffered(this.url(path), { method, headers, body }, this.maxJsonBytes + 1, controller.signal);
    } catch (error) {
      throw toNetworkError(error, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens an image download over node:http(s) (hub-transport.ts: the transfer path, much
   * cheaper per image than fetch). The caller reads the body itself (streaming, with its own idle
   * timeout via `signal`); only the status check happens here: 200, 206 and 416 come back, any
   * other status throws `http` with the hub's error message.
   */
  async openImage(
    sha256: string,
    range: { start: number; ifRange: string } | null,
    signal: AbortSignal,
  ): Promise<ImageResponse> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (range) {
      headers['range'] = `bytes=${range.start}-`;
      headers['if-range'] = range.ifRange;
    }
    const path = `/images/${sha256}`;
    let res;
    try {
      res = await getStream(this.url(path), { method: 'GET', headers }, signal);
    } catch (error) {
      throw toNetworkError(error, signal);
    }
    const status = res.statusCode ?? 0;
    if (status === 200 || status === 206 || status === 416) {
      const contentRange = res.headers['content-range'];
      return { status, contentRange: typeof contentRange === 'string' ? contentRange : null, body: res };
    }
    throw errorFromBody(status, await readSmallText(res, 64 * 1024), path);
  }
}

/** A non-2xx answer as an `http` failure, with the hub's own error code and message when it sent one. */
function errorFromBody(status: number, text: string, path: string): HubRequestError {
  let code: string | null = null;
  let message = `The hub answered ${status} for ${path}.`;
  try {
    const parsed = hubErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      code = parsed.data.error.code;
      message = parsed.data.error.message;
    }
  } catch {
    // Not JSON: keep the generic message.
  }
  return new HubRequestError('http', message, status, code);
}

/** The start of an error body, as text (enough for the hub's error JSON). */
function errorText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 64 * 1024));
}

export function toNetworkError(error: unknown, signal?: AbortSignal): HubRequestError {
  if (error instanceof HubRequestError) return error;
  if (signal?.aborted) return new HubRequestError('timeout', 'The hub did not answer in time.');
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const detail = error instanceof Error ? error.message : String(error);
  return new HubRequestError('network', `Cannot reach the hub (${cause || detail}).`);
}
