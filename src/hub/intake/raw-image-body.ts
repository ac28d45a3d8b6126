import type { FastifyInstance } from 'fastify';

/**
 * A scope whose routes take one photograph as the request body, whatever type the browser
 * labels it with (a File's own type: image/heic, image/gif, text/html for a saved page, or none).
 * The bytes decide what it is (image-format.ts), so a refusal names the real reason instead of
 * "send JSON". The body limit is the route's own (route-policies.ts).
 */
export function acceptAnyImageBody(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

/** The answer when no bytes arrived at all. */
export const NO_PHOTOGRAPH_MESSAGE =
  'No photograph arrived: choose the photograph (JPEG, PNG or WebP) and send it again.';
