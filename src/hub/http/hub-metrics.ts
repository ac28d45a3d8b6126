import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';

const A = HUB_API_PREFIX;
/** The doors a referral comes in by, by route pattern (counted from the reply's status). */
const INTAKE_DOORS: Readonly<Record<string, string>> = {
  [`POST ${A}/intake/referrals`]: 'json',
  [`POST ${A}/intake/fhir`]: 'fhir',
  [`POST ${A}/patient-links/:token/submit`]: 'patient-link',
};
const DECISION_UPLOAD = `PUT ${A}/cases/:caseId/decisions/:decisionId`;

/**
 * The hub's Prometheus metrics (prom-client), one registry per hub so several hubs in one process
 * (tests, the embedded demo) never share counters. Labels are route patterns, outcomes and error
 * codes only: never a case id, a token, a name or an NHS number, so a scrape carries no patient
 * data whatever a client sends.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly latency = new Histogram({
    name: 'dermdesk_hub_request_duration_seconds',
    help: 'Time from a request arriving to its reply being sent, by route pattern and status class.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'dermdesk_hub_errors_total',
    help: 'Requests answered with an error, by route pattern and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  /** Cases handed to consultants by the worklist claim. */
  readonly claims = new Counter({
    name: 'dermdesk_hub_claimed_cases_total',
    help: 'Cases handed to consultants by a claim.',
    registers: [this.registry],
  });
  /** Referrals through the GP and patient doors, accepted or refused. */
  readonly intake = new Counter({
    name: 'dermdesk_hub_intake_total',
    help: 'Referrals received by door (json, fhir, patient-link) and result (accepted, refused).',
    labelNames: ['door', 'result'] as const,
    registers: [this.registry],
  });
  /** Decisions from workstations' outboxes: stored, replayed (idempotent), refused. */
  readonly decisions = new Counter({
    name: 'dermdesk_hub_decision_receipts_total',
    help: "Decisions received from workstations' outboxes by result (stored, replayed, refused).",
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'dermdesk_hub_' });
  }

  /** Times every request (onResponse sees the route pattern, never the raw URL). */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      this.latency.observe(
        { method: request.method, route, status: `${Math.floor(status / 100)}xx` },
        reply.elapsedTime / 1000,
      );
      if (status >= 400) this.errors.inc({ route, status: String(status) });
      const key = `${request.method} ${route}`;
      const door = INTAKE_DOORS[key];
      if (door && (status === 201 || status === 422))
        this.intake.inc({ door, result: status === 201 ? 'accepted' : 'refused' });
      if (key === DECISION_UPLOAD && status !== 401 && status !== 409) {
        const replayed = reply.getHeader('idempotent-replayed') === 'true';
        this.decisions.inc({ result: status >= 400 ? 'refused' : replayed ? 'replayed' : 'stored' });
      }
    });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
