import type { FastifyInstance } from 'fastify';
import {
  annotationsTooLarge,
  annotationsUploadSchema,
  type AnnotationsReceipt,
} from '../../shared/hub-api/annotations-api';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, caseIdParam } from '../http/request-helpers';
import { throwUnlessMine } from './case-routes';

/**
 * This route may take a larger body than the hub's default 256 KiB, so that an oversized
 * document is answered with `annotations-too-large` and its limits (not a bare 413), while
 * anything larger still is cut off by Fastify before it is parsed.
 */
const SHA256 = /^[0-9a-f]{64}$/;
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** PUT the consultant's marks on one image of a case (see shared/hub-api/annotations-api.ts). */
export function registerAnnotationRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.put<{ Params: { caseId: string; sha256: string } }>(
    `${HUB_API_PREFIX}/cases/:caseId/images/:sha256/annotations`,
    async (request) => {
      const user = await authenticate(ctx, request);
      const caseId = caseIdParam(request.params.caseId);
      const sha256 = request.params.sha256.toLowerCase();
      const now = ctx.now().toISOString();
      throwUnlessMine(await ctx.repo.caseAccess(caseId, user.id, now));
      const row = await ctx.repo.getCase(caseId);
      if (!SHA256.test(sha256) || !row?.record.images.some((i) => i.sha256 === sha256)) {
        throw new HubHttpError(404, 'image-not-found', 'This case has no such image.', 'sha256');
      }
      const saveId = header(request.headers['idempotency-key']);
      if (!saveId || !KEY.test(saveId)) {
        throw new HubHttpError(
          400,
          'idempotency-key-required',
          'Send the save id as the Idempotency-Key header.',
          'Idempotency-Key',
        );
      }
      const ifMatch = header(request.headers['if-match']);
      if (ifMatch === undefined) {
        throw new HubHttpError(
          428,
          'if-match-required',
          'Send If-Match with the annotation version the edit was based on ("0" for none).',
          'If-Match',
        );
      }
      const base = /^"(\d{1,9})"$/.exec(ifMatch.trim())?.[1];
      if (base === undefined) {
        throw new HubHttpError(400, 'invalid-request', 'If-Match must be a quoted version such as "3".', 'If-Match');
      }
      const parsed = annotationsUploadSchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || undefined;
        throw new HubHttpError(
          422,
          'invalid-annotations',
          `These marks are not a valid annotation document${field ? ` (at ${field})` : ''}: ${issue?.message ?? 'unknown problem'}.`,
          field,
        );
      }
      const tooLarge = annotationsTooLarge(parsed.data.doc);
      if (tooLarge) throw new HubHttpError(413, 'annotations-too-large', tooLarge, 'doc');
      const result = await ctx.repo.saveAnnotations({
        caseId,
        sha256,
        consultantId: user.id,
        baseVersion: Number(base),
        saveId,
        doc: parsed.data.doc,
        now,
      });
      if (!result.ok) {
        throw new HubHttpError(
          412,
          'annotations-stale',
          `The marks on this image were changed elsewhere (now version ${result.currentVersion}, your edit was based on version ${base}). Nothing was overwritten.`,
          'If-Match',
        );
      }
      const receipt: AnnotationsReceipt = { caseId, sha256, version: result.version, savedAt: result.savedAt };
      return receipt;
    },
  );
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
