import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountListResponseSchema,
  accountResponseSchema,
  accountWithPasswordResponseSchema,
} from '../../src/shared/hub-api/account-api';
import { HUB_API_PREFIX, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { addOperator, addPractice, practiceLogin } from '../support/doors-fixture';
import { hubFetch, startTestHub, type TestHub } from '../support/hub-fixture';

/**
 * The operator page's account routes (/api/v1/ops/accounts) over real HTTP on the real hub: the
 * same account admin as `npm run hub -- admin`, for operators only, with field errors the page
 * can show by the field, and every change audited under the operator's name.
 */
const clock = new Date('2026-11-30T09:00:00.000Z');
let hub: TestHub;
let operator: { username: string; password: string };
let opsToken: string;
beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  operator = await addOperator(hub);
  opsToken = await hub.login(operator);
});
afterAll(async () => hub.close());

const errorOf = async (res: Response) => hubErrorSchema.parse(await res.json()).error;

describe('the operator page account routes', () => {
  it('an operator creates a practice account, lists it, resets its password and deactivates it; each change audited', async () => {
    const created = await hubFetch(hub.url, opsToken, '/ops/accounts', {
      body: {
        role: 'gp-practice',
        username: 'hillside',
        displayName: 'Reception, Hillside',
        odsCode: 'B82005',
        practiceName: 'Hillside Surgery',
      },
    });
    expect(created.status).toBe(201);
    const first = accountWithPasswordResponseSchema.parse(await created.json());
    expect(first.account).toEqual({
      username: 'hillside',
      displayName: 'Reception, Hillside',
      role: 'gp-practice',
      active: true,
      mustChoosePassword: true,
      gmcNumber: null,
      subspecialties: [],
      practice: { odsCode: 'B82005', name: 'Hillside Surgery' },
    });
    // The temporary password works only to choose one's own.
    const signIn = await hubFetch(hub.url, null, '/practice/login', {
      body: { username: 'hillside', password: first.temporaryPassword },
    });
    expect((await errorOf(signIn)).code).toBe('password-change-required');

    const listed = accountListResponseSchema.parse(
      await (await hubFetch(hub.url, opsToken, '/ops/accounts?role=gp-practice')).json(),
    );
    expect(listed.accounts.map((a) => a.username)).toContain('hillside');
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|passwordHash|temporaryPassword/);

    const reset = await hubFetch(hub.url, opsToken, '/ops/accounts/hillside/reset-password', { method: 'POST' });
    expect(reset.status).toBe(200);
    const second = accountWithPasswordResponseSchema.parse(await reset.json());
    expect(second.temporaryPassword).not.toBe(first.temporaryPassword);

    const off = await hubFetch(hub.url, opsToken, '/ops/accounts/hillside/deactivate', { method: 'POST' });
    expect(accountResponseSchema.parse(await off.json()).account.active).toBe(false);
    const refused = await hubFetch(hub.url, null, '/practice/login', {
      body: { username: 'hillside', password: second.temporaryPassword },
    });
    expect((await errorOf(refused)).code).toBe('account-deactivated');

    const user = await hub.hub.admin.findUser('hillside');
    const audit = await hub.hub.admin.doorAuditFor(user!.id);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['account.created', `operator:${operator.username}`],
      ['account.password-reset', `operator:${operator.username}`],
      ['account.deactivated', `operator:${operator.username}`],
    ]);
  });

  it('an operator creates a consultant with a GMC number and subspecialties, and an operator', async () => {
    const res = await hubFetch(hub.url, opsToken, '/ops/accounts', {
      body: {
        role: 'consultant',
        username: 'dr.adeyemi',
        displayName: 'Dr T Adeyemi',
        gmcNumber: '7654321',
        subspecialties: ['skin cancer', 'paediatric'],
      },
    });
    expect(res.status).toBe(201);
    const { account } = accountWithPasswordResponseSchema.parse(await res.json());
    expect(account).toMatchObject({ gmcNumber: '7654321', subspecialties: ['skin cancer', 'paediatric'] });
    const ops = await hubFetch(hub.url, opsToken, '/ops/accounts', {
      body: { role: 'admin', username: 'ops.second', displayName: 'Second operator' },
    });
    expect(ops.status).toBe(201);
    expect(accountWithPasswordResponseSchema.parse(await ops.json()).account.role).toBe('admin');
  });

  it('a bad ODS code, GMC number or username is a field error, and nothing is created', async () => {
    const cases = [
      [{ role: 'gp-practice', username: 'badods', displayName: 'X', odsCode: 'b8 2005', practiceName: 'X' }, 'odsCode'],
      [{ role: 'consultant', username: 'badgmc', displayName: 'Dr X', gmcNumber: '12345' }, 'gmcNumber'],
      [{ role: 'admin', username: 'a b', displayName: 'X' }, 'username'],
    ] as const;
    for (const [body, field] of cases) {
      const res = await hubFetch(hub.url, opsToken, '/ops/accounts', { body });
      expect(res.status, field).toBe(422);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: 'validation', field });
      expect(await hub.hub.admin.findUser(body.username)).toBeNull();
    }
    const duplicate = await hubFetch(hub.url, opsToken, '/ops/accounts', {
      body: { role: 'admin', username: operator.username, displayName: 'Again' },
    });
    expect(duplicate.status).toBe(409);
    expect(await errorOf(duplicate)).toMatchObject({ code: 'account-exists', field: 'username' });
    const unknownRole = await hubFetch(hub.url, opsToken, '/ops/accounts', {
      body: { role: 'superuser', username: 'x.y.z', displayName: 'X' },
    });
    expect(unknownRole.status).toBe(400);
    expect((await errorOf(unknownRole)).field).toBe('role');
    const nobody = await hubFetch(hub.url, opsToken, '/ops/accounts/no.such.user/deactivate', { method: 'POST' });
    expect(nobody.status).toBe(404);
  });

  it('an operator cannot deactivate their own account from the page (nor in another letter case); nothing changes', async () => {
    for (const name of [operator.username, operator.username.toUpperCase()]) {
      const own = await hubFetch(hub.url, opsToken, `/ops/accounts/${encodeURIComponent(name)}/deactivate`, {
        method: 'POST',
      });
      expect(own.status).toBe(409);
      expect((await errorOf(own)).code).toBe('own-account');
    }
    expect((await hub.hub.admin.findUser(operator.username))!.deactivatedAt).toBeFalsy();
    // Still signed in: the session was not ended.
    expect((await hubFetch(hub.url, opsToken, '/ops/accounts')).status).toBe(200);
  });

  it('a practice, a consultant and no one at all cannot list, create, deactivate or reset', async () => {
    const practiceToken = await practiceLogin(hub, await addPractice(hub));
    const consultantToken = await hub.login();
    const body = { role: 'admin', username: 'sneaky', displayName: 'Not an operator' };
    for (const [token, status] of [
      [practiceToken, 403],
      [consultantToken, 403],
      [null, 401],
    ] as const) {
      expect((await hubFetch(hub.url, token, '/ops/accounts')).status).toBe(status);
      expect((await hubFetch(hub.url, token, '/ops/accounts', { body })).status).toBe(status);
      const target = `/ops/accounts/${operator.username}`;
      expect((await hubFetch(hub.url, token, `${target}/deactivate`, { method: 'POST' })).status).toBe(status);
      expect((await hubFetch(hub.url, token, `${target}/reset-password`, { method: 'POST' })).status).toBe(status);
    }
    expect(await hub.hub.admin.findUser('sneaky')).toBeNull();
    expect((await hub.hub.admin.findUser(operator.username))!.deactivatedAt).toBeFalsy();
    expect(`${HUB_API_PREFIX}/ops/accounts`).toBe('/api/v1/ops/accounts');
  });
});
