import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { userRoles, type UserRole } from '../store/hub-repository';
import { databaseConfigFrom, openHubStore } from '../store/open-hub-store';
import { AccountAdmin, type AccountSummary } from './account-admin';

const USAGE = `Usage: npm run hub -- admin <command> [--data-dir DIR | --database-url postgres://…] [options]

  list [--role consultant|gp-practice|admin]
  add-consultant --username U --name "Dr A Name" --gmc 1234567 [--subspecialty S]…
  add-practice   --username U --name "Reception, Hillside" --ods B82005 --practice-name "Hillside Surgery"
  add-operator   --username U --name "A Name"
  deactivate     --username U
  reactivate     --username U
  reset-password --username U
  subspecialties --username U [--subspecialty S]…

A new or reset password is printed once; the user must choose their own at the next sign-in
(/account/password on the hub). Every change is audited under --operator (default: your login).`;

/**
 * `npm run hub -- admin …`: account work on the hub's database directly (the hub may be running;
 * both engines take concurrent writers). Prints what it did; exits non-zero with the reason when
 * it cannot.
 */
export async function runAdminCli(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: '.hub-data' },
      'database-url': { type: 'string' },
      operator: { type: 'string' },
      role: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      gmc: { type: 'string' },
      ods: { type: 'string' },
      'practice-name': { type: 'string' },
      subspecialty: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const command = positionals[0];
  if (values.help || !command) return out(USAGE);
  const dataDir = resolve(values['data-dir']);
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = values['database-url'] ?? process.env.DERMDESK_HUB_DATABASE_URL;
  const repo = await openHubStore(databaseConfigFrom(databaseUrl, join(dataDir, 'hub.sqlite')));
  const admin = new AccountAdmin({
    repo,
    now: () => new Date(),
    actor: `operator:${values.operator ?? userInfo().username}`,
  });
  const need = (name: 'username' | 'name' | 'gmc' | 'ods' | 'practice-name'): string => {
    const value = values[name];
    if (!value) throw new Error(`${command} needs --${name}.`);
    return value;
  };
  const created = (r: { account: AccountSummary; temporaryPassword: string }) => {
    out(describe(r.account));
    out(`Temporary password (shown once; the user chooses their own at first sign-in): ${r.temporaryPassword}`);
  };
  try {
    switch (command) {
      case 'list': {
        const role = values.role;
        if (role !== undefined && !userRoles.includes(role as UserRole))
          throw new Error(`--role is one of ${userRoles.join(', ')}, not "${role}".`);
        const accounts = await admin.list(role as UserRole | undefined);
        if (accounts.length === 0) out('No accounts.');
        for (const a of accounts) out(describe(a));
        return;
      }
      case 'add-consultant':
        return created(
          await admin.create({
            role: 'consultant',
            username: need('username'),
            displayName: need('name'),
            gmcNumber: need('gmc'),
            subspecialties: values.subspecialty ?? [],
          }),
        );
      case 'add-practice':
        return created(
          await admin.create({
            role: 'gp-practice',
            username: need('username'),
            displayName: need('name'),
            odsCode: need('ods'),
            practiceName: need('practice-name'),
          }),
        );
      case 'add-operator':
        return created(await admin.create({ role: 'admin', username: need('username'), displayName: need('name') }));
      case 'deactivate':
        return out(describe(await admin.deactivate(need('username'))));
      case 'reactivate':
        return out(describe(await admin.reactivate(need('username'))));
      case 'reset-password':
        return created(await admin.resetPassword(need('username')));
      case 'subspecialties':
        return out(describe(await admin.setSubspecialties(need('username'), values.subspecialty ?? [])));
      default:
        throw new Error(`Unknown admin command "${command}".\n\n${USAGE}`);
    }
  } finally {
    await repo.close();
  }
}

/** One line per account: what the operator needs to see, never a password or its hash. */
export function describe(a: AccountSummary): string {
  const role = { consultant: 'consultant', 'gp-practice': 'GP practice', admin: 'operator' }[a.role];
  const parts = [`${a.username}`, role, a.displayName, a.active ? 'active' : 'DEACTIVATED'];
  if (a.mustChoosePassword) parts.push('must choose a password');
  if (a.gmcNumber) parts.push(`GMC ${a.gmcNumber}`);
  if (a.subspecialties.length > 0) parts.push(`subspecialties: ${a.subspecialties.join(', ')}`);
  if (a.practice) parts.push(`${a.practice.name} (${a.practice.odsCode})`);
  return parts.join(' | ');
}
