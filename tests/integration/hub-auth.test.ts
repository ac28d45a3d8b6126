import { afterEach, describe, expect, it } from 'vitest';
import { hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { hubFetch, manualClock, startTestHub, type TestHub } from '../support/hub-fixture';

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

const login = (h: TestHub, username: string, password: string, headers: Record<string, string> = {}) =>
  hubFetch(h.url, null, '/auth/login', { body: { username, password }, headers });

/** Every consultant route, with a path that would be valid for `caseId` / `sha`. */
function consultantRoutes(caseId: string, sha: string): { method: string; path: string; body?: unknown }[] {
  const decisionId = '3f1c0d7e-8a9b-4c2d-9e1f-0a1b2c3d4e5f';
  return [
    { method: 'POST', path: '/batches/claim', body: { count: 1 } },
    { method: 'GET', path: '/assigned' },
    { method: 'GET', path: `/cases/${caseId}` },
    { method: 'GET', path: `/images/${sha}` },
    { method: 'GET', path: '/changes?after=0' },
    { method: 'PUT', path: `/cases/${caseId}/decisions/${decisionId}`, body: {} },
    { method: 'POST', path: `/cases/${caseId}/pass-on`, body: { note: 'x' } },
    { method: 'POST', path: '/audit', body: { events: [] } },
  ];
}

describe('hub sign-in', () => {
  it('signs in with the right password only, and the token works until logout revokes it', async () => {
    hub = await startTestHub();
    const wrong = await login(hub, hub.consultant.username, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(hubErrorSchema.parse(await wrong.json()).error.code).toBe('invalid-credentials');
    const unknown = await login(hub, 'nobody-here', 'whatever');
    expect(unknown.status).toBe(401);

    const token = await hub.login();
    expect((await hubFetch(hub.url, token, '/assigned')).status).toBe(200);
    expect((await hubFetch(hub.url, token, '/auth/logout', { method: 'POST' })).status).toBe(204);
    const after = await hubFetch(hub.url, token, '/assigned');
    expect(after.status).toBe(401);
    expect(hubErrorSchema.parse(await after.json()).error.code).toBe('token-revoked');
    // Another sign-in is unaffected by the revoked one.
    expect((await hubFetch(hub.url, await hub.login(), '/assigned')).status).toBe(200);
  });

  it('tokens expire (12 h by default) and an operator can revoke every token of a user', async () => {
    const clock = manualClock();
    hub = await startTestHub({ now: clock.now });
    const token = await hub.login();
    clock.advanceMinutes(12 * 60 - 1);
    expect((await hubFetch(hub.url, token, '/assigned')).status).toBe(200);
    clock.advanceMinutes(2);
    const expired = await hubFetch(hub.url, token, '/assigned');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('Bearer');
    expect(hubErrorSchema.parse(await expired.json()).error.code).toBe('token-expired');

    const t2 = await hub.login();
    expect(await hub.hub.admin.revokeTokens(hub.consultant.id)).toBe(1);
    expect((await hubFetch(hub.url, t2, '/assigned')).status).toBe(401);
  });

  it('refuses garbage, forged and oversized bearer tokens without a hint', async () => {
    hub = await startTestHub();
    for (const auth of [
      '',
      'Bearer',
      'Basic dXNlcjpwYXNz',
      `Bearer ${'A'.repeat(43)}`,
      `Bearer ${'x'.repeat(5000)}`,
      'Bearer ../../etc',
    ]) {
      const res = await fetch(`${hub.url}/api/v1/assigned`, { headers: auth ? { authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(hubErrorSchema.parse(await res.json()).error.code).toBe('unauthenticated');
    }
  });

  it('rate-limits failed sign-ins per username with 429 and Retry-After, and lets the window pass', async () => {
    const clock = manualClock();
    hub = await startTestHub({ now: clock.now, loginLimits: { perUser: 3, perIp: 100, windowMinutes: 15 } });
    for (let i = 0; i < 3; i++) expect((await login(hub, hub.consultant.username, `wrong-${i}`)).status).toBe(401);
    // Even the right password is refused while limited: a guesser learns nothing.
    const limited = await login(hub, hub.consultant.username, hub.consultant.password);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(hubErrorSchema.parse(await limited.json()).error.code).toBe('too-many-attempts');
    // Another user is not locked out by someone guessing this one.
    const other = await hub.addConsultant();
    expect((await login(hub, other.username, other.password)).status).toBe(200);
    clock.advanceMinutes(16);
    expect((await login(hub, hub.consultant.username, hub.consultant.password)).status).toBe(200);
  });

  it('a burst of parallel wrong guesses is limited too (counted before the slow password check)', async () => {
    hub = await startTestHub({ loginLimits: { perUser: 3, perIp: 100, windowMinutes: 15 } });
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(hub!, hub!.consultant.username, `guess-${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it('rate-limits failed sign-ins per client address across usernames; successes do not count', async () => {
    hub = await startTestHub({ loginLimits: { perUser: 100, perIp: 4, windowMinutes: 15 } });
    for (let i = 0; i < 6; i++)
      expect((await login(hub, hub.consultant.username, hub.consultant.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(hub, `user-${i}`, 'guess')).status).toBe(401);
    const res = await login(hub, hub.consultant.username, hub.consultant.password);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('hub authorisation per route and role', () => {
  it('every consultant route needs a token (401) and a consultant role (403 for admin and GP practice)', async () => {
    hub = await startTestHub({ cases: 1 });
    const c = hub.cases[0]!;
    const admin = await hub.hub.admin.createUser({
      username: 'ops',
      password: 'ops-password-1',
      displayName: 'Ops',
      role: 'admin',
    });
    const gp = await hub.hub.admin.createUser({
      username: 'gp',
      password: 'gp-password-1',
      displayName: 'GP',
      role: 'gp-practice',
    });
    const adminToken = await hub.login({ username: admin.username, password: 'ops-password-1' });
    const gpToken = await hub.login({ username: gp.username, password: 'gp-password-1' });
    for (const route of consultantRoutes(c.id, c.images[0]!.sha256)) {
      const anon = await hubFetch(hub.url, null, route.path, { method: route.method, body: route.body });
      expect(anon.status, `${route.method} ${route.path} anonymous`).toBe(401);
      for (const token of [adminToken, gpToken]) {
        const res = await hubFetch(hub.url, token, route.path, { method: route.method, body: route.body });
        expect(res.status, `${route.method} ${route.path} wrong role`).toBe(403);
        expect(hubErrorSchema.parse(await res.json()).error.code).toBe('forbidden-role');
      }
    }
    // Any role may sign out.
    expect((await hubFetch(hub.url, gpToken, '/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it("a consultant cannot read, download, decide or pass on another consultant's case (404, nothing revealed)", async () => {
    hub = await startTestHub({ cases: 2 });
    const mine = await hub.login();
    const other = await hub.addConsultant();
    const theirs = await hub.login(other);
    const claimed = (await (await hubFetch(hub.url, theirs, '/batches/claim', { body: { count: 2 } })).json()) as {
      cases: { id: string }[];
    };
    expect(claimed.cases).toHaveLength(2);
    const c = hub.cases.find((x) => x.id === claimed.cases[0]!.id)!;
    for (const route of consultantRoutes(c.id, c.images[0]!.sha256).slice(2, 4)) {
      const res = await hubFetch(hub.url, mine, route.path, { method: route.method });
      expect(res.status, route.path).toBe(404);
    }
    const pass = await hubFetch(hub.url, mine, `/cases/${c.id}/pass-on`, { body: { note: 'not mine' } });
    expect(pass.status).toBe(404);
    expect((await hubFetch(hub.url, mine, '/assigned').then((r) => r.json())) as unknown).toEqual({ cases: [] });
    // Unknown and malformed ids are 404 as well, never 500.
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '..%2F..%2Fetc', '%00']) {
      expect((await hubFetch(hub.url, mine, `/cases/${id}`)).status).toBe(404);
    }
    for (const sha of ['0'.repeat(64), 'A'.repeat(64), '..%2F' + 'a'.repeat(60)]) {
      expect((await hubFetch(hub.url, mine, `/images/${sha}`)).status).toBe(404);
    }
  });
});
