import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, registeredRoutes } from '../../src/hub/http/build-app';
import { registerHubDoors } from '../../src/hub/intake/hub-doors';
import { routePolicies } from '../../src/hub/http/route-policies';
import { startTestHub, type TestHub } from '../support/hub-fixture';

type Operation = {
  summary?: string;
  security?: unknown[];
  'x-access'?: string;
  'x-body-limit'?: number;
  requestBody?: { content: Record<string, unknown> };
};

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

/** Every route a whole hub registers (core and doors), walked through Fastify's onRoute hook. */
async function servedRoutes(): Promise<string[]> {
  const app = buildApp({} as never);
  await registerHubDoors(app, { repo: {} } as never);
  await app.ready();
  const served = registeredRoutes(app).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
  await app.close();
  return [...new Set(served)].sort();
}

describe('/openapi.json', () => {
  it('documents every route the hub registers (intake, FHIR, practice, patient link, feedback, dashboard, operator, consultant, pages), and nothing it does not serve', async () => {
    hub = await startTestHub();
    const res = await fetch(`${hub.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = await servedRoutes();
    // Each family the issue found missing is served, and so must be documented.
    for (const family of ['/intake/', '/fhir/r4/', '/practice/', '/patient-links/', '/feedback', '/dashboard', '/ops/'])
      expect(
        served.some((r) => r.includes(family)),
        family,
      ).toBe(true);
    expect(served.length).toBeGreaterThanOrEqual(50);
    expect(documented).toEqual(served);

    for (const route of served) {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]![method.toLowerCase()]!;
      expect(op.summary, route).toBeTruthy();
      expect(op.summary, route).not.toBe('UNDOCUMENTED');
      // Who may call it and how large a body it takes come from the policy the hub enforces.
      const policy = routePolicies[`${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`]!;
      expect(op['x-body-limit'], route).toBe(policy.bodyLimit);
      expect(op.security, route).toEqual(
        policy.access.kind === 'token' || policy.access.kind === 'metrics-scraper'
          ? [{ bearer: [] }]
          : policy.access.kind === 'patient-link'
            ? [{ patientLink: [] }]
            : [],
      );
    }
    // The bodies are described: JSON routes by their zod schema, photograph checks by image types.
    const intake = doc.paths['/api/v1/intake/referrals']!.post!;
    expect(Object.keys(intake.requestBody!.content)).toEqual(['application/json']);
    expect(JSON.stringify(intake.requestBody)).toContain('presentingComplaint');
    const check = doc.paths['/api/v1/patient-links/{token}/image-check']!.post!;
    expect(Object.keys(check.requestBody!.content)).toContain('image/jpeg');
    expect(JSON.stringify(doc.paths['/api/v1/patient-links/{token}/submit']!.post!.requestBody)).toContain(
      'dateOfBirth',
    );
  });
});
