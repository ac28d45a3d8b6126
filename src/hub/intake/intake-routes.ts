import type { FastifyInstance } from 'fastify';
import { bundleToSubmission, FHIR_CONTENT_TYPE, toOperationOutcome } from '../../shared/hub-api/fhir-bundle';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { FieldError } from '../../shared/hub-api/intake-api';
import { requirePractice, sendError } from '../practice/practice-auth';
import { createCaseFromSubmission } from './create-case';
import type { DoorsDeps } from './doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { imageQuality } from './image-checks';
import { acceptAnyImageBody, NO_PHOTOGRAPH_MESSAGE } from './raw-image-body';
import { practiceOwner, receivePhoto, streamAnyBody } from './receive-photo';
import { validateSubmission } from './validate-submission';

function rejection(errors: FieldError[]) {
  return {
    error: {
      code: 'validation' as const,
      message: `The referral was not accepted: ${errors.length} field${errors.length === 1 ? '' : 's'} to fix.`,
      fields: errors,
    },
  };
}

/**
 * GP referral intake: JSON (POST /intake/referrals), a FHIR R4 transaction Bundle
 * (POST /intake/fhir) and the upload-time image quality check the web form calls
 * (POST /intake/image-check: the photograph's own bytes, whatever type the browser labels them),
 * and the streamed photograph door (POST /uploads/photos: receive-photo.ts) whose uploadIds a
 * referral cites instead of inline base64. All need a practice login.
 */
export async function intakeRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;

  app.post(`${HUB_API_PREFIX}/intake/referrals`, async (request, reply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return reply;
    const check = await validateSubmission(request.body, {
      now: deps.now(),
      uploads: { owner: practiceOwner(who.caller.userId), store, now: deps.now() },
    });
    if (!check.ok) {
      await store.audit(
        who.caller.userId,
        'referral.refused',
        null,
        { source: 'json', fields: check.errors.map((e) => e.field) },
        deps.now().toISOString(),
      );
      return reply.code(422).send(rejection(check.errors));
    }
    const source = request.headers['x-dermdesk-source'] === 'web-form' ? 'web' : 'json';
    const receipt = await createCaseFromSubmission(deps, store, {
      ...check,
      practice: who.practice,
      source,
      actor: who.caller.userId,
    });
    if ('ok' in receipt) return sendError(reply, receipt.status, receipt.code, receipt.message);
    return reply.code(201).header('location', `${HUB_API_PREFIX}/practice/cases/${receipt.caseId}`).send(receipt);
  });

  app.post(`${HUB_API_PREFIX}/intake/fhir`, async (request, reply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return reply;
    const mapped = bundleToSubmission(request.body);
    const refuse = async (errors: FieldError[]) => {
      await store.audit(
        who.caller.userId,
        'referral.refused',
        null,
        { source: 'fhir', fields: errors.map((e) => e.field) },
        deps.now().toISOString(),
      );
      return reply.code(422).type(FHIR_CONTENT_TYPE).send(toOperationOutcome(errors));
    };
    if (!mapped.ok) return refuse(mapped.errors);
    const rename = (field: string): string => {
      // The closest mapped path: images.0.data → the attachment's data element, and so on.
      for (let f = field; f; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
        const path = mapped.paths.get(f);
        if (path) return path;
      }
      return `Bundle(${field})`;
    };
    const check = await validateSubmission(mapped.submission, { now: deps.now(), rename });
    if (!check.ok) return refuse(check.errors);
    const receipt = await createCaseFromSubmission(deps, store, {
      ...check,
      practice: who.practice,
      source: 'fhir',
      actor: who.caller.userId,
    });
    if ('ok' in receipt) return sendError(reply, receipt.status, receipt.code, receipt.message);
    return reply
      .code(200)
      .type(FHIR_CONTENT_TYPE)
      .send({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [
          {
            response: {
              status: '201 Created',
              location: `ServiceRequest/${receipt.caseId}`,
              lastModified: receipt.receivedAt,
            },
          },
        ],
      });
  });

  await app.register(async (scope) => {
    streamAnyBody(scope);
    scope.post(`${HUB_API_PREFIX}/uploads/photos`, async (request, reply) => {
      const who = await requirePractice(deps, store, request, reply);
      if (!who) return reply;
      return receivePhoto(deps, request, reply, practiceOwner(who.caller.userId));
    });
  });

  await app.register(async (scope) => {
    acceptAnyImageBody(scope);
    scope.post(`${HUB_API_PREFIX}/intake/image-check`, async (request, reply) => {
      const caller = await deps.authenticate(request);
      if (!caller) return sendError(reply, 401, 'unauthenticated', 'Sign in first.');
      if (!Buffer.isBuffer(request.body)) return sendError(reply, 400, 'validation', NO_PHOTOGRAPH_MESSAGE, 'image');
      const report = await imageQuality(request.body);
      if ('error' in report)
        return sendError(reply, 422, 'validation', `This file cannot be used: ${report.error}.`, 'image');
      await store.recordUploadCheck(
        caller.userId,
        report.ok,
        report.issues.map((i) => i.issue),
        deps.now().toISOString(),
      );
      return reply.send(report);
    });
  });
}
