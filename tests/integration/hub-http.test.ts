import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, registeredRoutes } from '../../src/hub/http/build-app';
import { hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { auditIngestResponseSchema, type AuditEvent } from '../../src/shared/hub-api/consultant-api-extras';
import { hubFetch, startTestHub, type TestHub } from '../support/hub-fixture';

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

function chain(actor: string, caseId: string | null, count: number, startSeq = 1): AuditEvent[] {
  let prev = '0'.repeat(64);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString();
    const hash = createHash('sha256')
      .update(JSON.stringify([prev, at, actor, caseId, 'case.viewed', '{}']))
      .digest('hex');
    const e: AuditEvent = {
      seq: startSeq + i,
      at,
      actor,
      caseId,
      action: 'case.viewed',
      detail: {},
      prevHash: prev,
      hash,
    };
    prev = hash;
    return e;
  });
}

describe('audit ingest', () => {
  it('stores rows append-only under the signed-in consultant, idempotent by seq; reports who viewed a case', async () => {
    hub = await startTestHub({ cases: 1 });
    const token = await hub.login();
    const caseId = hub.cases[0]!.id;
    const events = chain('spoofed-actor', caseId, 3);
    const first = await hubFetch(hub.url, token, '/audit', { body: { events } });
    expect(first.status).toBe(200);
    expect(auditIngestResponseSchema.parse(await first.json())).toEqual({ accepted: 3, duplicates: 0, conflicts: 0 });
    const resend = await hubFetch(hub.url, token, '/audit', {
      body: { events: [...events, ...chain('x', caseId, 1, 4)] },
    });
    expect(auditIngestResponseSchema.parse(await resend.json())).toEqual({ accepted: 1, duplicates: 3, conflicts: 0 });
    const viewed = await hub.hub.admin.auditForCase(caseId);
    expect(viewed).toHaveLength(4);
    expect(new Set(viewed.map((v) => v.consultantId))).toEqual(new Set([hub.consultant.id]));
    // A rewritten row under a seq the hub holds keeps the original and is set aside as evidence.
    const tampered = { ...events[0]!, hash: 'f'.repeat(64) };
    const conflict = await hubFetch(hub.url, token, '/audit', { body: { events: [tampered] } });
    expect(conflict.status).toBe(200);
    expect(auditIngestResponseSchema.parse(await conflict.json())).toEqual({
      accepted: 0,
      duplicates: 0,
      conflicts: 1,
    });
    expect((await hub.hub.admin.auditForCase(caseId))[0]!.hash).toBe(events[0]!.hash);
    expect(await hub.hub.admin.auditConflicts()).toEqual([
      { consultantId: hub.consultant.id, seq: 1, row: tampered, receivedAt: expect.any(String) },
    ]);
    // Malformed rows are refused with the field named.
    const bad = await hubFetch(hub.url, token, '/audit', { body: { events: [{ ...events[0]!, prevHash: 'nope' }] } });
    expect(bad.status).toBe(400);
    expect(hubErrorSchema.parse(await bad.json()).error.field).toBe('events.0.prevHash');
  });
});

describe('hostile and malformed requests', () => {
  it('oversize bodies are 413, broken JSON 400, wrong media types 415, unknown routes 404: always the error shape, never a stack', async () => {
    hub = await startTestHub();
    const token = await hub.login();
    const cases: { body: string; type?: string; status: number; code: string }[] = [
      { body: JSON.stringify({ events: [], pad: 'x'.repeat(300 * 1024) }), status: 413, code: 'payload-too-large' },
      { body: '{"events": [', status: 400, code: 'malformed-json' },
      { body: '', status: 400, code: 'malformed-json' },
      { body: '{"__proto__": {"polluted": true}, "events": []}', status: 400, code: 'malformed-json' },
      { body: 'events=1', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported-media-type' },
      { body: '<x/>', type: 'text/xml', status: 415, code: 'unsupported-media-type' },
      { body: '"just a string"', status: 400, code: 'invalid-request' },
      { body: '{"events": "no"}', status: 400, code: 'invalid-request' },
    ];
    for (const c of cases) {
      const res = await fetch(`${hub.url}/api/v1/audit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': c.type ?? 'application/json' },
        body: c.body,
      });
      const text = await res.text();
      expect(res.status, c.body.slice(0, 40)).toBe(c.status);
      expect(hubErrorSchema.parse(JSON.parse(text)).error.code, c.body.slice(0, 40)).toBe(c.code);
      expect(text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|stack/i);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const huge = await hubFetch(hub.url, null, '/auth/login', {
      body: { username: 'a', password: 'p'.repeat(400 * 1024) },
    });
    expect(huge.status).toBe(413);
    const notFound = await hubFetch(hub.url, token, '/no/such/route');
    expect(notFound.status).toBe(404);
    expect(hubErrorSchema.parse(await notFound.json()).error.code).toBe('not-found');
  });

  it('sends the security headers on every response, success or error', async () => {
    hub = await startTestHub({ cases: 1 });
    const token = await hub.login();
    const responses = [
      await hubFetch(hub.url, token, '/assigned'),
      await hubFetch(hub.url, null, '/assigned'),
      await hubFetch(hub.url, token, '/nope'),
      await hubFetch(hub.url, null, '/openapi.json'),
      await hubFetch(hub.url, token, '/batches/claim', { body: '{' }),
    ];
    for (const res of responses) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('openapi.json', () => {
  it('is valid JSON generated from the zod schemas and documents the consultant API', async () => {
    hub = await startTestHub();
    const res = await hubFetch(hub.url, null, '/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(await res.text()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
        >
      >;
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Every route the hub serves is documented: tests/integration/openapi-every-route.test.ts.
    const app = buildApp({} as never);
    await app.ready();
    const served = registeredRoutes(app).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    await app.close();
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(documented).toEqual(expect.arrayContaining(served));
    const decisionBody =
      doc.paths['/api/v1/cases/{caseId}/decisions/{decisionId}']!.put!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(decisionBody.properties ?? {})).toEqual(
      expect.arrayContaining(['outcome', 'signedBy', 'supersedes', 'caseVersion']),
    );
  });
});
