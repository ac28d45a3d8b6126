import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import {
  inboxFilterSchema,
  informationResponseSchema,
  practiceLoginRequestSchema,
} from '../../shared/hub-api/practice-api';
import { createLinkRequestSchema } from '../../shared/hub-api/patient-link-api';
import { zodFieldErrors, validateSubmission } from '../intake/validate-submission';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { DEFAULT_LINK_DAYS, newLinkToken } from '../patient-links/link-token';
import { answerInformation } from './answer-information';
import { outcomeLetterPdf, patientCopyPdf } from './outcome-letter-pdf';
import { requirePractice, sendError } from './practice-auth';
import { lockedLinksOf, practiceInbox, toInboxItem } from './practice-inbox';
import { checkSubmittedImages } from '../intake/submitted-images';
import { practiceOwner } from '../intake/receive-photo';
import { londonDateOf } from '../../shared/domain/working-days';
import { checkSendTo, ukDate } from '../loop/send-to';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const P = `${HUB_API_PREFIX}/practice`;

/** Practice login, the outcome inbox, acknowledgement, letters, answers and patient links. */
export async function practiceRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;

  app.post(`${P}/login`, async (request, reply) => {
    const body = practiceLoginRequestSchema.safeParse(request.body);
    if (!body.success) return sendError(reply, 400, 'validation', 'Enter your username and password.', 'username');
    const verified = await deps.verifyPassword(body.data.username, body.data.password);
    if (verified === 'rate-limited')
      return sendError(reply, 429, 'too-many-attempts', 'Too many sign-in attempts; wait 15 minutes and try again.');
    const caller = verified;
    const practice = caller ? await store.practiceAccount(caller.userId) : null;
    if (!caller || !practice || caller.role !== 'gp-practice') {
      await store.audit(
        body.data.username.slice(0, 200),
        'practice.login-failed',
        null,
        { ip: request.ip },
        deps.now().toISOString(),
      );
      return sendError(reply, 401, 'invalid-credentials', 'The username or password is not right.');
    }
    const { token, expiresAt } = await deps.issueToken(caller.userId);
    await store.audit(caller.userId, 'practice.login', null, { ip: request.ip }, deps.now().toISOString());
    return reply.send({
      token,
      expiresAt,
      practice: { odsCode: practice.odsCode, name: practice.practiceName, user: caller.displayName },
    });
  });

  app.get(`${P}/inbox`, async (request, reply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return reply;
    const query = inboxFilterSchema.safeParse(request.query ?? {});
    if (!query.success) return sendError(reply, 400, 'validation', 'filter is "all" or "needs-action".', 'filter');
    return reply.send({
      items: await practiceInbox(store, who.practice.odsCode, query.data.filter),
      lockedLinks: await lockedLinksOf(deps, store, who.practice.odsCode),
      patientCopy: (await deps.repo.outcomes.practiceSettings(who.practice.odsCode)).patientCopy,
    });
  });

  /** A case of the calling practice, or null after a 404 was sent (same answer for "not yours"). */
  const ownCase = async (caseId: string, odsCode: string) => {
    if (!UUID.test(caseId)) return null;
    const kase = await store.practiceCase(caseId.toLowerCase());
    return kase && kase.row.record.practice.odsCode === odsCode ? toInboxItem(kase) : null;
  };

  type OutcomeRequest = FastifyRequest<{ Params: { caseId: string; decisionId: string } }>;
  /**
   * The calling practice and its case with that outcome, or null once the answer was sent (401/403
   * by requirePractice, else the same 404 whether the outcome does not exist or is not theirs).
   */
  const ownOutcome = async (request: OutcomeRequest, reply: FastifyReply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return null;
    const item = await ownCase(request.params.caseId, who.practice.odsCode);
    if (!item?.outcome || item.outcome.decisionId !== request.params.decisionId.toLowerCase()) {
      sendError(reply, 404, 'not-found', 'No such outcome for your practice.');
      return null;
    }
    return { who, item, outcome: item.outcome };
  };

  app.post<{ Params: { caseId: string; decisionId: string } }>(
    `${P}/cases/:caseId/outcomes/:decisionId/acknowledge`,
    async (request, reply) => {
      const found = await ownOutcome(request, reply);
      if (!found) return reply;
      const { who, item, outcome } = found;
      const at = deps.now().toISOString();
      // Closes the failsafe (first acknowledgement wins; who and when are kept on the row too).
      await deps.repo.outcomes.closeOutcome(outcome.decisionId, 'acknowledged', who.caller.userId, at);
      // Idempotent; the first acknowledgement is audited in the same transaction.
      const acknowledgedAt = await store.acknowledge(outcome.decisionId, item.caseId, who.caller.userId, at);
      return reply.send({ acknowledgedAt });
    },
  );

  app.get<{ Params: { caseId: string; decisionId: string } }>(
    `${P}/cases/:caseId/outcomes/:decisionId/letter.pdf`,
    async (request, reply) => {
      const found = await ownOutcome(request, reply);
      if (!found) return reply;
      const { who, item, outcome } = found;
      // The common letter module's wording and layout (the same the consultant exports).
      const pdf = await outcomeLetterPdf(deps, item);
      if (!pdf) return sendError(reply, 404, 'not-found', 'No such outcome for your practice.');
      await store.audit(
        who.caller.userId,
        'outcome.letter-downloaded',
        item.caseId,
        { decisionId: outcome.decisionId },
        deps.now().toISOString(),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="outcome-${item.caseId.slice(0, 8)}.pdf"`)
        .send(pdf);
    },
  );

  app.get<{ Params: { caseId: string; decisionId: string } }>(
    `${P}/cases/:caseId/outcomes/:decisionId/patient-copy.pdf`,
    async (request, reply) => {
      const found = await ownOutcome(request, reply);
      if (!found) return reply;
      const { who, item, outcome } = found;
      if (!(await deps.repo.outcomes.practiceSettings(who.practice.odsCode)).patientCopy)
        return sendError(
          reply,
          409,
          'patient-copy-off',
          "Your practice has not opted in to patients' plain-language copies; ask the service to turn them on.",
        );
      const pdf = await patientCopyPdf(deps, item);
      if (!pdf) return sendError(reply, 404, 'not-found', 'No such outcome for your practice.');
      await store.audit(
        who.caller.userId,
        'outcome.patient-copy-downloaded',
        item.caseId,
        { decisionId: outcome.decisionId },
        deps.now().toISOString(),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="patient-copy-${item.caseId.slice(0, 8)}.pdf"`)
        .send(pdf);
    },
  );

  app.post<{ Params: { caseId: string } }>(`${P}/cases/:caseId/information`, async (request, reply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return reply;
    const body = informationResponseSchema.safeParse(request.body);
    if (!body.success)
      return reply.code(422).send({
        error: {
          code: 'validation',
          message: 'The answer was not accepted.',
          fields: zodFieldErrors(body.error, request.body),
        },
      });
    const { images, errors: fields } = await checkSubmittedImages(body.data.images, {
      owner: practiceOwner(who.caller.userId),
      store,
      now: deps.now(),
    });
    if (fields.length > 0)
      return reply.code(422).send({ error: { code: 'validation', message: 'The answer was not accepted.', fields } });
    const result = await answerInformation(deps, store, {
      caseId: request.params.caseId.toLowerCase(),
      odsCode: who.practice.odsCode,
      note: body.data.note,
      images,
      by: who.caller.userId,
      via: 'practice',
    });
    if (!result.ok) return sendError(reply, result.status, result.code, result.message);
    return reply.send({ caseId: result.caseId, version: result.version, status: result.status });
  });

  app.post(`${P}/patient-links`, async (request, reply) => {
    const who = await requirePractice(deps, store, request, reply);
    if (!who) return reply;
    const body = createLinkRequestSchema.safeParse(request.body);
    if (!body.success)
      return reply.code(422).send({
        error: {
          code: 'validation',
          message: 'The link was not created.',
          fields: zodFieldErrors(body.error, request.body),
        },
      });
    const req = body.data;
    if (req.kind === 'new-referral') {
      // Check the practice's part now (NHS number etc.), with a placeholder where the patient's part goes.
      const probe = await validateSubmission(
        {
          ...req.draft,
          referral: {
            ...req.draft.referral,
            symptoms: '',
            consent: { given: true, recordedAt: deps.now().toISOString(), recordedBy: 'probe' },
          },
          images: [{ kind: 'overview', mediaType: 'image/jpeg', data: 'AA==' }],
        },
        { now: deps.now() },
      );
      const errors = probe.ok ? [] : probe.errors.filter((e) => !e.field.startsWith('images'));
      if (errors.length > 0)
        return reply.code(422).send({
          error: {
            code: 'validation',
            message: 'The link was not created.',
            fields: errors.map((e) => ({ ...e, field: `draft.${e.field}` })),
          },
        });
    } else {
      const item = await ownCase(req.caseId, who.practice.odsCode);
      if (!item) return sendError(reply, 404, 'not-found', 'No such case for your practice.', 'caseId');
      if (item.status !== 'awaiting-information')
        return sendError(reply, 409, 'conflict', 'This case is not waiting for more information.', 'caseId');
    }
    const send = req.send ? checkSendTo(req.send, deps.notifier) : null;
    if (send && !send.ok) return sendError(reply, 422, 'validation', send.message, send.field);
    const { token, hash } = newLinkToken();
    const now = deps.now();
    const days = req.days ?? DEFAULT_LINK_DAYS;
    const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString();
    const linkId = randomUUID();
    await store.insertLink(
      {
        id: linkId,
        tokenHash: hash,
        odsCode: who.practice.odsCode,
        createdBy: who.caller.userId,
        kind: req.kind,
        caseId: req.kind === 'more-information' ? req.caseId.toLowerCase() : null,
        draftJson: JSON.stringify(req.kind === 'new-referral' ? req.draft : {}),
        createdAt: now.toISOString(),
        expiresAt,
        spentAt: null,
        resultCaseId: null,
      },
      {
        actor: who.caller.userId,
        action: 'patient-link.created',
        subject: linkId,
        detail: { kind: req.kind, expiresAt },
        at: now.toISOString(),
      },
    );
    let sent: { channel: 'email' | 'sms'; messageId: string } | null = null;
    if (send?.ok) {
      const messageId = randomUUID();
      await deps.repo.outcomes.enqueueMessage(
        {
          id: messageId,
          dedupeKey: `patient-link:${linkId}`,
          channel: send.channel,
          template: 'patient-link',
          recipient: send.to,
          params: {
            practice: who.practice.practiceName,
            link: `${deps.publicUrl()}/p/${token}`,
            expires: ukDate(londonDateOf(expiresAt)),
          },
          reference: `link ${linkId.slice(0, 8)}`,
        },
        now.toISOString(),
      );
      await store.audit(
        who.caller.userId,
        'patient-link.sent',
        linkId,
        { channel: send.channel, messageId },
        now.toISOString(),
      );
      sent = { channel: send.channel, messageId };
      deps.kickLoop();
    }
    return reply.code(201).send({ linkId, token, url: `/p/${token}`, expiresAt, sent });
  });
}
