import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubHttpError } from './hub-http-error';
import { MAX_JSON_DEPTH } from './route-policies';

/**
 * True when `text` nests arrays or objects deeper than `max`. One linear scan of the raw text
 * (brackets inside strings do not count), run before JSON.parse: a 30,000-deep document would
 * otherwise parse and then overflow the stack of whatever walks it (hashing, zod, the store).
 */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

type Parser = (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => void;

/**
 * Every JSON body the hub reads (application/json and `extra` types such as FHIR's) goes through
 * Fastify's own parser (which refuses __proto__ and constructor.prototype poisoning) after the
 * nesting check. Size is limited per route (route-policies.ts).
 */
export function installJsonParsers(app: FastifyInstance, extra: string[] = []): void {
  const parse = app.getDefaultJsonParser('error', 'error') as unknown as Parser;
  const checked: Parser = (request, body, done) => {
    if (jsonNestingExceeds(body, MAX_JSON_DEPTH)) {
      done(
        new HubHttpError(
          400,
          'json-too-deep',
          `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels; nothing the hub accepts is that deep.`,
        ),
      );
      return;
    }
    parse(request, body, done);
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', ...extra], { parseAs: 'string' }, checked as never);
}
