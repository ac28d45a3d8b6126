import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import { linkReferralDraftSchema, linkSubmissionSchema, type LinkInfo } from '../../shared/hub-api/patient-link-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository, PatientLinkRow } from '../store/hub-repository';
import { createCaseFromSubmission } from '../intake/create-case';
import { imageQuality } from '../intake/image-checks';
import { acceptAnyImageBody, NO_PHOTOGRAPH_MESSAGE } from '../intake/raw-image-body';
import { linkOwner, receivePhoto, streamAnyBody } from '../intake/receive-photo';
import { validateSubmission, zodFieldErrors } from '../intake/validate-submission';
import { answerInformation } from '../practice/answer-information';
import { sendError } from '../practice/practice-auth';
import { hashLinkToken, LINK_TOKEN_PATTERN, linkState } from './link-token';
import { RateLimiter, retryAfterSeconds } from '../auth/rate-limiter';
import { renderPatientPage, renderLinkRefusedPage, renderPatientOutcomePage } from '../web/patient-page';
import { patientOutcome, type PatientOutcomeView } from './patient-outcome';
import { sendPage } from '../web/web-routes';

export interface PatientLinkLimits {
  /** Requests per address per window on every patient-link route. */
  requests: number;
  /** Unknown, expired or spent tokens per address per window: guessing stops here. */
  failures: number;
  windowMs: number;
  /** Wrong dates of birth per link, ever: the link locks at this many (kept in the store; default 5). */
  wrongAnswers?: number;
}
export const DEFAULT_LINK_LIMITS: PatientLinkLimits = {
  requests: 120,
  failures: 10,
  windowMs: 15 * 60_000,
  wrongAnswers: 5,
};

const LOCKED_MESSAGE =
  'This link has been locked because the date of birth was entered wrongly too many times. Your GP practice has been told; ask them for a new link.';

type Resolved =
  { link: PatientLinkRow } | { refused: 'unknown' | 'expired' | 'spent' } | { outcome: PatientOutcomeView };

/**
 * The patient's door: /p/<token> (the page) and /api/v1/patient-links/<token>/... (its API).
 * No login: the unguessable token is the credential, so every route is rate limited per client
 * address, unknown or dead tokens count towards a stricter limit (both counted in the database,
 * across hub processes), and every open, refusal and submission is audited. A link is spent in
 * the same transaction that creates its case, so a double submit (to one or two hub processes)
 * yields exactly one case.
 */
export async function patientLinkRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository; limits?: PatientLinkLimits },
): Promise<void> {
  const { deps, store } = opts;
  const limits = { ...DEFAULT_LINK_LIMITS, ...opts.limits };
  const wrongAnswers = limits.wrongAnswers ?? 5;
  const clock = () => deps.now().getTime();
  const perAddress = new RateLimiter(deps.repo, 'link-requests', limits.requests, limits.windowMs, clock);
  const failures = new RateLimiter(deps.repo, 'link-failures', limits.failures, limits.windowMs, clock);

  /** Applies the limits and finds the link; a refusal is audited and counted. */
  const resolve = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    page = false,
  ): Promise<Resolved | null> => {
    const ip = request.ip;
    const failed = await failures.retryAfterMs(ip);
    const wait = failed > 0 ? failed : await perAddress.take(ip);
    if (wait > 0) {
      reply.header('retry-after', String(retryAfterSeconds(wait)));
      sendError(
        reply,
        429,
        'too-many-requests',
        'Too many attempts from this connection. Wait a few minutes, then try again.',
      );
      return null;
    }
    const link = LINK_TOKEN_PATTERN.test(token) ? await store.linkByHash(hashLinkToken(token)) : null;
    const state = link ? linkState(link, deps.now()) : 'unknown';
    if (link && state === 'open') return { link };
    if (page && link && state === 'spent') {
      // A used link's page shows the signed outcome in plain words where the practice opted in
      // (patient-outcome.ts); looking at it is not a failed attempt.
      const outcome = await patientOutcome(deps, link);
      if (outcome) {
        await store.audit(
          `ip:${ip}`,
          'patient-link.outcome-viewed',
          link.id,
          { decisionId: outcome.decisionId },
          deps.now().toISOString(),
        );
        return { outcome };
      }
    }
    await failures.take(ip);
    await store.audit(
      `ip:${ip}`,
      'patient-link.refused',
      link?.id ?? null,
      { reason: state },
      deps.now().toISOString(),
    );
    return { refused: state === 'open' ? 'unknown' : state };
  };

  const refusal = (reply: FastifyReply, why: 'unknown' | 'expired' | 'spent') => {
    if (why === 'expired')
      return sendError(
        reply,
        410,
        'link-expired',
        'This link has expired. Ask your GP practice to send you a new one.',
      );
    if (why === 'spent')
      return sendError(
        reply,
        410,
        'link-used',
        'This link has already been used. Your photographs were sent; ask your practice if you need to send more.',
      );
    return sendError(
      reply,
      404,
      'link-unknown',
      'This link is not valid. Check it was copied in full, or ask your GP practice.',
    );
  };

  const info = async (link: PatientLinkRow): Promise<LinkInfo> => {
    const practiceName = (await practiceNameOf(link.odsCode)) ?? link.odsCode;
    if (link.kind === 'new-referral') {
      const draft = linkReferralDraftSchema.parse(JSON.parse(link.draftJson));
      return {
        kind: link.kind,
        practiceName,
        givenName: draft.patient.givenName,
        expiresAt: link.expiresAt,
        requests: [],
        requestDetail: '',
      };
    }
    const row = link.caseId ? await deps.repo.getCase(link.caseId) : null;
    const latest = link.caseId ? (await deps.repo.decisionsForCase(link.caseId)).at(-1)?.decision : undefined;
    const outcome = latest?.outcome.kind === 'more-information' ? latest.outcome : null;
    return {
      kind: link.kind,
      practiceName,
      givenName: row?.record.patient.givenName ?? '',
      expiresAt: link.expiresAt,
      requests: outcome?.requests ?? [],
      requestDetail: outcome?.detail ?? '',
    };
  };
  const practiceNameOf = (odsCode: string): Promise<string | null> => store.practiceName(odsCode);

  /**
   * The link check, as each route's own onRequest hook: it runs before a byte of the body is
   * read, so a dead or guessed token never gets to upload anything. The open link is kept for
   * the handler.
   */
  const opened = new WeakMap<FastifyRequest, PatientLinkRow>();
  const linkGate = (page: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const r = await resolve(request, reply, (request.params as { token: string }).token, page);
    if (!r) return reply;
    if ('outcome' in r) return sendPage(reply, renderPatientOutcomePage(r.outcome));
    if ('refused' in r) {
      if (page) return sendPage(reply, renderLinkRefusedPage(r.refused), r.refused === 'unknown' ? 404 : 410);
      return refusal(reply, r.refused);
    }
    if ((await store.linkGuard(r.link.id))?.lockedAt) {
      await store.audit(
        `ip:${request.ip}`,
        'patient-link.refused',
        r.link.id,
        { reason: 'locked' },
        deps.now().toISOString(),
      );
      if (page) return sendPage(reply, renderLinkRefusedPage('locked'), 403);
      return sendError(reply, 403, 'link-locked', LOCKED_MESSAGE);
    }
    opened.set(request, r.link);
  };

  /**
   * A wrong date of birth: counted in the store (rows, so every hub process sees the same
   * count), and the link locks at the limit; the practice's inbox then lists it.
   */
  const wrongDateOfBirth = async (reply: FastifyReply, link: PatientLinkRow, actor: string, now: string) => {
    const guard = await store.recordLinkFailure(link.id, now, wrongAnswers);
    await store.audit(actor, 'patient-link.identity-mismatch', link.id, { failures: guard.failures }, now);
    if (guard.lockedAt) {
      await store.audit(actor, 'patient-link.locked', link.id, { failures: guard.failures }, now);
      return sendError(reply, 403, 'link-locked', LOCKED_MESSAGE);
    }
    const left = wrongAnswers - guard.failures;
    return sendError(
      reply,
      422,
      'validation',
      `The date of birth does not match what your practice gave us. ${left} ${left === 1 ? 'try' : 'tries'} left before this link is locked.`,
      'dateOfBirth',
    );
  };
  const linkOf = (request: FastifyRequest): PatientLinkRow => {
    const link = opened.get(request);
    if (!link) throw new Error('patient-link route reached without its link check');
    return link;
  };

  app.get<{ Params: { token: string } }>('/p/:token', { onRequest: linkGate(true) }, async (request, reply) => {
    const link = linkOf(request);
    await store.audit(`ip:${request.ip}`, 'patient-link.opened', link.id, {}, deps.now().toISOString());
    return sendPage(reply, renderPatientPage(await info(link)));
  });

  app.get<{ Params: { token: string } }>(
    `${HUB_API_PREFIX}/patient-links/:token`,
    { onRequest: linkGate(false) },
    async (request, reply) => reply.send(await info(linkOf(request))),
  );

  await app.register(async (scope) => {
    acceptAnyImageBody(scope);
    scope.post<{ Params: { token: string } }>(
      `${HUB_API_PREFIX}/patient-links/:token/image-check`,
      { onRequest: linkGate(false) },
      async (request, reply) => {
        const r = { link: linkOf(request) };
        if (!Buffer.isBuffer(request.body)) return sendError(reply, 400, 'validation', NO_PHOTOGRAPH_MESSAGE, 'image');
        const report = await imageQuality(request.body);
        if ('error' in report)
          return sendError(reply, 422, 'validation', `This file cannot be used: ${report.error}.`, 'image');
        await store.recordUploadCheck(
          `link:${r.link.id}`,
          report.ok,
          report.issues.map((i) => i.issue),
          deps.now().toISOString(),
        );
        return reply.send(report);
      },
    );
  });

  await app.register(async (scope) => {
    streamAnyBody(scope);
    scope.post<{ Params: { token: string } }>(
      `${HUB_API_PREFIX}/patient-links/:token/photos`,
      { onRequest: linkGate(false) },
      async (request, reply) => receivePhoto(deps, request, reply, linkOwner(linkOf(request).id)),
    );
  });

  app.post<{ Params: { token: string } }>(
    `${HUB_API_PREFIX}/patient-links/:token/submit`,
    { onRequest: linkGate(false) },
    async (request, reply) => {
      const link = linkOf(request);
      const body = linkSubmissionSchema.safeParse(request.body);
      if (!body.success)
        return reply.code(422).send({
          error: {
            code: 'validation',
            message: 'Please check the form.',
            fields: zodFieldErrors(body.error, request.body),
          },
        });
      const now = deps.now().toISOString();
      const actor = `link:${link.id}`;
      const uploads = { owner: linkOwner(link.id), store, now: deps.now() };
      if (link.kind === 'new-referral') {
        const draft = linkReferralDraftSchema.parse(JSON.parse(link.draftJson));
        if (draft.patient.dateOfBirth !== body.data.dateOfBirth) return await wrongDateOfBirth(reply, link, actor, now);
        const check = await validateSubmission(
          {
            patient: draft.patient,
            clinician: draft.clinician,
            referral: {
              ...draft.referral,
              symptoms: body.data.symptoms,
              consent: {
                given: true,
                recordedAt: now,
                recordedBy: `${draft.patient.givenName} ${draft.patient.familyName} (patient, remote link)`,
              },
            },
            images: body.data.images,
          },
          { now: deps.now(), uploads },
        );
        if (!check.ok)
          return reply.code(422).send({
            error: { code: 'validation', message: 'Some photographs could not be used.', fields: check.errors },
          });
        const practiceName = (await practiceNameOf(link.odsCode)) ?? link.odsCode;
        const receipt = await createCaseFromSubmission(deps, store, {
          ...check,
          practice: { userId: link.createdBy, odsCode: link.odsCode, practiceName },
          source: 'patient-link',
          actor,
          link: { id: link.id, auditDetail: { images: check.images.length, consent: true } },
        });
        if ('ok' in receipt) return sendError(reply, receipt.status, receipt.code, receipt.message);
        return reply.send({ received: true, imageCount: receipt.imageCount });
      }
      // more-information: images join the same case, which goes back to triage.
      const row = link.caseId ? await deps.repo.getCase(link.caseId) : null;
      if (!row) return refusal(reply, 'unknown');
      if (row.record.patient.dateOfBirth !== body.data.dateOfBirth)
        return await wrongDateOfBirth(reply, link, actor, now);
      const check = await validateSubmission(
        {
          patient: row.record.patient,
          clinician: row.record.practice.clinician,
          referral: {
            ...row.record.referral,
            consent: row.record.referral.consent ?? { given: true, recordedAt: now, recordedBy: 'patient' },
          },
          images: body.data.images,
        },
        { now: deps.now(), uploads },
      );
      if (!check.ok)
        return reply.code(422).send({
          error: { code: 'validation', message: 'Some photographs could not be used.', fields: check.errors },
        });
      const answer = await answerInformation(deps, store, {
        caseId: row.record.id,
        odsCode: link.odsCode,
        note: body.data.symptoms || 'New photographs from the patient.',
        images: check.images,
        by: actor,
        via: 'patient-link',
        link: { id: link.id, auditDetail: { images: check.images.length, consent: true } },
      });
      if (!answer.ok) return sendError(reply, answer.status, answer.code, answer.message);
      return reply.send({ received: true, imageCount: check.images.length });
    },
  );
}
