import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { HubContext } from '../hub-context';
import { parseByteRange } from '../http/byte-range';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate } from '../http/request-helpers';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Original image bytes, only for images of cases the caller may see. The ETag is the strong
 * validator "<sha256>" (the bytes can never change under it), so a client resumes an interrupted
 * download with `Range: bytes=N-` and `If-Range: "<sha256>"`.
 */
export function registerImageRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get<{ Params: { sha256: string } }>(`${HUB_API_PREFIX}/images/:sha256`, async (request, reply) => {
    const user = await authenticate(ctx, request);
    const sha256 = request.params.sha256;
    const notFound = new HubHttpError(404, 'image-not-found', 'No such image in a case assigned to you.');
    if (!SHA256.test(sha256)) throw notFound;
    const visible = await ctx.repo.visibleImage(sha256, user.id, ctx.now().toISOString());
    if (!visible) throw notFound;
    const size = await ctx.objects.size(sha256);
    if (size === null)
      throw new HubHttpError(
        503,
        'image-unavailable',
        "The hub cannot find this image's bytes right now; try again later.",
      );
    const etag = `"${sha256}"`;
    reply.header('etag', etag).header('accept-ranges', 'bytes').header('content-type', visible.mediaType);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const ifRange = request.headers['if-range'];
    // If-Range with another validator (or a date: we only have strong ETags) means "send it all".
    const range = ifRange === undefined || ifRange === etag ? parseByteRange(request.headers.range, size) : null;
    if (range === 'unsatisfiable') {
      throw new HubHttpError(
        416,
        'range-not-satisfiable',
        `The image has ${size} bytes; the requested range is outside it.`,
        undefined,
        {
          'content-range': `bytes */${size}`,
        },
      );
    }
    if (range) {
      reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
        .header('content-length', String(range.end - range.start + 1));
      return reply.send(ctx.objects.read(sha256, range));
    }
    reply.code(200).header('content-length', String(size));
    return reply.send(ctx.objects.read(sha256));
  });
}
