import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../src/hub/admin/admin-cli';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { repoRoot } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub-fixture';

/**
 * The operator's accounts (`npm run hub -- admin …`) against a running hub's own database: a new
 * account signs in only after choosing its own password; deactivation ends its sessions and
 * sign-ins; a reset ends sessions and asks for a new password again; every change is audited.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub.close());

async function admin(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runAdminCli([...args, '--data-dir', hub.dataDir, '--operator', 'ops-jane'], (l) => lines.push(l));
  return lines;
}

const temporaryPassword = (lines: string[]): string => /: (\S+)$/.exec(lines.find((l) => /Temporary/.test(l))!)![1]!;

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('accounts the operator manages', () => {
  it('a new practice account must choose its own password before it can sign in', async () => {
    const out = await admin(
      'add-practice',
      '--username',
      'riverside',
      '--name',
      'Reception, Riverside',
      '--ods',
      'Y04567',
      '--practice-name',
      'Riverside Practice',
    );
    expect(out[0]).toBe(
      'riverside | GP practice | Reception, Riverside | active | must choose a password | Riverside Practice (Y04567)',
    );
    const given = temporaryPassword(out);
    expect(given).toMatch(/^[a-zA-Z0-9]{20}$/);

    const first = await post('/practice/login', { username: 'riverside', password: given });
    expect(first.status).toBe(403);
    expect(await errorCode(first)).toBe('password-change-required');

    const page = await fetch(`${hub.url}/account/password`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="password-form"');

    const wrong = await post('/auth/password', {
      username: 'riverside',
      currentPassword: 'not-it',
      newPassword: 'a long river password',
    });
    expect(wrong.status).toBe(401);
    const short = await post('/auth/password', { username: 'riverside', currentPassword: given, newPassword: 'short' });
    expect(short.status).toBe(400);
    const same = await post('/auth/password', { username: 'riverside', currentPassword: given, newPassword: given });
    expect(same.status).toBe(422);
    expect(
      (
        await post('/auth/password', {
          username: 'riverside',
          currentPassword: given,
          newPassword: 'a long river password',
        })
      ).status,
    ).toBe(204);
    expect((await post('/practice/login', { username: 'riverside', password: given })).status).toBe(401);
    expect((await post('/practice/login', { username: 'riverside', password: 'a long river password' })).status).toBe(
      200,
    );
  });

  it('a consultant is deactivated (sessions end, sign-in refused), reactivated, and reset', async () => {
    const out = await admin(
      'add-consultant',
      '--username',
      'dr.okafor',
      '--name',
      'Dr Ada Okafor',
      '--gmc',
      '7654321',
      '--subspecialty',
      'skin cancer',
      '--subspecialty',
      'paediatric dermatology',
    );
    expect(out[0]).toContain('GMC 7654321 | subspecialties: skin cancer, paediatric dermatology');
    const given = temporaryPassword(out);
    await post('/auth/password', { username: 'dr.okafor', currentPassword: given, newPassword: 'okafor chooses this' });
    const login = await post('/auth/login', { username: 'dr.okafor', password: 'okafor chooses this' });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const assigned = () =>
      fetch(`${hub.url}${HUB_API_PREFIX}/assigned`, { headers: { authorization: `Bearer ${token}` } });
    expect((await assigned()).status).toBe(200);

    expect((await admin('deactivate', '--username', 'dr.okafor'))[0]).toContain('| DEACTIVATED');
    const refused = await assigned();
    expect(refused.status).toBe(401);
    const again = await post('/auth/login', { username: 'dr.okafor', password: 'okafor chooses this' });
    expect(again.status).toBe(403);
    expect(await errorCode(again)).toBe('account-deactivated');

    expect((await admin('reactivate', '--username', 'dr.okafor'))[0]).toContain('| active');
    const back = await post('/auth/login', { username: 'dr.okafor', password: 'okafor chooses this' });
    expect(back.status).toBe(200);
    const { token: second } = (await back.json()) as { token: string };

    const reset = await admin('reset-password', '--username', 'dr.okafor');
    const fresh = temporaryPassword(reset);
    expect(
      (await fetch(`${hub.url}${HUB_API_PREFIX}/assigned`, { headers: { authorization: `Bearer ${second}` } })).status,
    ).toBe(401);
    expect((await post('/auth/login', { username: 'dr.okafor', password: 'okafor chooses this' })).status).toBe(401);
    const mustChange = await post('/auth/login', { username: 'dr.okafor', password: fresh });
    expect(await errorCode(mustChange)).toBe('password-change-required');

    const user = await hub.hub.admin.findUser('dr.okafor');
    const audit = await hub.hub.admin.doorAuditFor(user!.id);
    expect(audit.map((a) => a.action)).toEqual([
      'account.created',
      'account.password-changed',
      'account.deactivated',
      'account.reactivated',
      'account.password-reset',
    ]);
    expect(
      audit.filter((a) => a.action !== 'account.password-changed').every((a) => a.actor === 'operator:ops-jane'),
    ).toBe(true);
  });

  it('lists accounts by role with their state, never a password; refuses bad input with the reason', async () => {
    const consultants = await admin('list', '--role', 'consultant');
    expect(consultants.some((l) => l.startsWith('dr.okafor | consultant | Dr Ada Okafor'))).toBe(true);
    expect(consultants.join('\n')).not.toMatch(/scrypt|\$|hash/i);
    await expect(admin('list', '--role', 'nurse')).rejects.toThrow(/--role is one of/);
    await expect(admin('add-consultant', '--username', 'dr.x', '--name', 'Dr X', '--gmc', '12')).rejects.toThrow(
      /GMC number is 7 digits/,
    );
    await expect(
      admin('add-practice', '--username', 'p2-practice', '--name', 'P', '--ods', 'nope', '--practice-name', 'P'),
    ).rejects.toThrow(/ODS code/);
    await expect(admin('add-operator', '--username', 'dr.okafor', '--name', 'Again')).rejects.toThrow(/already/);
    await expect(admin('deactivate', '--username', 'nobody-here')).rejects.toThrow(/no account "nobody-here"/);
  });

  it('runs as `npm run hub -- admin` (the real CLI process)', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/hub/cli.ts', 'admin', 'list', '--role', 'gp-practice', '--data-dir', hub.dataDir],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(out).toContain('riverside | GP practice');
  });
});
