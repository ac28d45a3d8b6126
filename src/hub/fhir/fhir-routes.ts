import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_CONTENT_TYPE } from '../../shared/hub-api/fhir-bundle';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository, PracticeAccount } from '../store/hub-repository';
import { INBOX_LIMIT, toInboxItem } from '../practice/practice-inbox';
import { outcomeLetterPdf } from '../practice/outcome-letter-pdf';
import { capabilityStatement } from './capability-statement';
import { matchesLastUpdated, parseFhirSearch } from './fhir-search';
import { caseResources, type CaseFacts, type FhirResource } from './outcome-resources';

export const FHIR_BASE = '/fhir/r4';
export const FHIR_SEARCH_TYPES = ['ServiceRequest', 'DiagnosticReport', 'Task'] as const;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type IssueCode = 'login' | 'forbidden' | 'not-found' | 'invalid' | 'exception';

function outcome(reply: FastifyReply, status: number, code: IssueCode, diagnostics: string, expression?: string) {
  return reply
    .code(status)
    .type(FHIR_CONTENT_TYPE)
    .send({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
    });
}

/**
 * FHIR R4 out for GP systems (read and search only, JSON): a practice's referrals, outcomes and
 * the actions it owes, as ServiceRequest, DiagnosticReport and Task (outcome-resources.ts), plus
 * the outcome letter as a Binary (application/pdf). Every call needs a practice's bearer token
 * and sees only that practice's cases; errors are OperationOutcomes. `GET /fhir/r4/metadata` is
 * open, as FHIR expects.
 */
export async function fhirRoutes(
  parent: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  // Its own encapsulated scope, so the hook below touches only FHIR routes.
  await parent.register(async (app) => fhirScope(app, opts));
}

const ISSUE_OF: Record<number, IssueCode> = { 401: 'login', 403: 'forbidden', 404: 'not-found' };

async function fhirScope(app: FastifyInstance, opts: { deps: DoorsDeps; store: DoorsRepository }): Promise<void> {
  const { deps, store } = opts;

  // The shared access hook answers in the hub's `{ error }` shape before this scope's handler
  // runs; rewrite such an answer as an OperationOutcome for FHIR clients.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !payload.startsWith('{"error"')) return payload;
    const { error } = JSON.parse(payload) as { error: { message: string } };
    const status = reply.statusCode;
    reply.type(FHIR_CONTENT_TYPE);
    return JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: ISSUE_OF[status] ?? (status < 500 ? 'invalid' : 'exception'),
          diagnostics: error.message,
        },
      ],
    });
  });

  const practiceOf = async (request: FastifyRequest, reply: FastifyReply): Promise<PracticeAccount | null> => {
    const caller = await deps.authenticate(request);
    if (!caller) {
      await outcome(reply, 401, 'login', 'Send a practice account bearer token (Authorization: Bearer ...).');
      return null;
    }
    const practice = caller.role === 'gp-practice' ? await store.practiceAccount(caller.userId) : null;
    if (!practice) {
      await outcome(reply, 403, 'forbidden', 'Only a GP practice account can read outcomes.');
      return null;
    }
    return practice;
  };

  const letterUrl = (decisionId: string) => `${deps.publicUrl()}${FHIR_BASE}/Binary/${decisionId}`;

  /** Every resource of the practice's cases (optionally one patient's), newest case first. */
  const resourcesOf = async (odsCode: string, nhsNumber: string | null): Promise<FhirResource[]> => {
    const all: FhirResource[] = [];
    for (const kase of await store.practiceCases(odsCode, INBOX_LIMIT)) {
      const { row } = kase;
      if (nhsNumber && row.record.patient.nhsNumber !== nhsNumber) continue;
      const item = toInboxItem(kase);
      const facts: CaseFacts = {
        record: row.record,
        status: row.status,
        outcome: item.outcome,
        tracking: item.outcome ? await deps.repo.outcomes.outcomeTracking(item.outcome.decisionId) : null,
      };
      all.push(...caseResources(facts, letterUrl(item.outcome?.decisionId ?? '')));
    }
    return all;
  };

  app.get(`${FHIR_BASE}/metadata`, async (_request, reply) =>
    reply.type(FHIR_CONTENT_TYPE).send(capabilityStatement(deps.now())),
  );

  app.get<{ Params: { id: string } }>(`${FHIR_BASE}/Binary/:id`, async (request, reply) => {
    const practice = await practiceOf(request, reply);
    if (!practice) return reply;
    const id = request.params.id.toLowerCase();
    const cases = UUID.test(id) ? await store.practiceCases(practice.odsCode, INBOX_LIMIT) : [];
    const kase = cases.find((c) => c.latest?.id === id);
    const pdf = kase ? await outcomeLetterPdf(deps, toInboxItem(kase)) : null;
    if (kase && pdf) {
      await store.audit(
        practice.userId,
        'fhir.letter-read',
        kase.row.record.id,
        { decisionId: id },
        deps.now().toISOString(),
      );
      return reply.type('application/pdf').send(pdf);
    }
    return outcome(reply, 404, 'not-found', `No Binary/${request.params.id} for your practice.`);
  });

  for (const type of FHIR_SEARCH_TYPES) {
    app.get(`${FHIR_BASE}/${type}`, async (request, reply) => {
      const practice = await practiceOf(request, reply);
      if (!practice) return reply;
      const parsed = parseFhirSearch(request.query as Record<string, string | string[] | undefined>);
      if (!parsed.ok) return outcome(reply, 400, 'invalid', parsed.message, parsed.param);
      const { search } = parsed;
      const matches = (await resourcesOf(practice.odsCode, search.nhsNumber))
        .filter((r) => r.resourceType === type)
        .filter((r) => matchesLastUpdated(r, search.lastUpdated))
        .filter((r) => !search.status || search.status.includes(String(r['status'])))
        // Oldest change first, so a system polling with _lastUpdated=gt<last seen> pages forward.
        .sort((a, b) => Date.parse(a.meta.lastUpdated) - Date.parse(b.meta.lastUpdated) || a.id.localeCompare(b.id));
      const page = matches.slice(search.offset, search.offset + search.count);
      const base = `${deps.publicUrl()}${FHIR_BASE}`;
      const self = `${base}/${type}${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`;
      const next = new URL(self);
      next.searchParams.set('_offset', String(search.offset + search.count));
      await store.audit(
        practice.userId,
        'fhir.search',
        null,
        { type, total: matches.length, returned: page.length },
        deps.now().toISOString(),
      );
      return reply.type(FHIR_CONTENT_TYPE).send({
        resourceType: 'Bundle',
        type: 'searchset',
        timestamp: deps.now().toISOString(),
        total: matches.length,
        link: [
          { relation: 'self', url: self },
          ...(search.offset + search.count < matches.length ? [{ relation: 'next', url: next.toString() }] : []),
        ],
        entry: page.map((resource) => ({
          fullUrl: `${base}/${type}/${resource.id}`,
          resource,
          search: { mode: 'match' },
        })),
      });
    });

    app.get<{ Params: { id: string } }>(`${FHIR_BASE}/${type}/:id`, async (request, reply) => {
      const practice = await practiceOf(request, reply);
      if (!practice) return reply;
      const id = request.params.id;
      const found = ID.test(id)
        ? (await resourcesOf(practice.odsCode, null)).find((r) => r.resourceType === type && r.id === id)
        : undefined;
      if (!found) return outcome(reply, 404, 'not-found', `No ${type}/${id} for your practice.`);
      await store.audit(practice.userId, 'fhir.read', null, { type, id }, deps.now().toISOString());
      return reply.type(FHIR_CONTENT_TYPE).header('etag', `W/"${found.meta.lastUpdated}"`).send(found);
    });
  }
}
