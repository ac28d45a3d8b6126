import { randomBytes, randomUUID } from 'node:crypto';
import { practiceSchema } from '../../shared/domain/case';
import { hashPassword } from '../auth/password';
import { HubHttpError } from '../http/hub-http-error';
import { checkGmcNumber } from './hub-admin';
import type { HubRepository, UserRole, UserRow } from '../store/hub-repository';

/** One account as the operator sees it (never its password hash). */
export interface AccountSummary {
  username: string;
  displayName: string;
  role: UserRole;
  active: boolean;
  /** The password was set by the service: the user must choose their own at next sign-in. */
  mustChoosePassword: boolean;
  gmcNumber: string | null;
  subspecialties: string[];
  /** A practice account's ODS code and practice name. */
  practice: { odsCode: string; name: string } | null;
}

export type NewAccount =
  | { role: 'consultant'; username: string; displayName: string; gmcNumber: string; subspecialties?: string[] }
  | { role: 'gp-practice'; username: string; displayName: string; odsCode: string; practiceName: string }
  | { role: 'admin'; username: string; displayName: string };

/**
 * The operator's account work (`npm run hub -- admin …`): create practices, consultants and
 * operators, list them, deactivate and reactivate them, reset a password. A new or reset password
 * is generated here, shown once to the operator, and must be replaced by the user at their next
 * sign-in (`/account/password`). Every change is audited with the operator's name. Refusals are
 * HubHttpErrors (`{ code, message, field }`): the CLI prints the message, the operator page's
 * routes (account-routes.ts) answer with them as they are.
 */
export class AccountAdmin {
  constructor(private readonly o: { repo: HubRepository; now: () => Date; actor: string }) {}

  async create(input: NewAccount): Promise<{ account: AccountSummary; temporaryPassword: string }> {
    if (!/^[a-z0-9][a-z0-9._-]{2,63}$/i.test(input.username))
      throw invalid(
        'username',
        `A username is 3-64 letters, digits, dots, dashes or underscores, not "${input.username}".`,
      );
    if (input.role === 'consultant') {
      try {
        checkGmcNumber(input.gmcNumber);
      } catch (error) {
        throw invalid('gmcNumber', (error as Error).message);
      }
    }
    // The same rule as every case's practice block, so an account's code always matches its cases'.
    if (input.role === 'gp-practice' && !practiceSchema.shape.odsCode.safeParse(input.odsCode).success)
      throw invalid('odsCode', `An ODS code is 3-10 capital letters and digits (e.g. B82005), not "${input.odsCode}".`);
    if (await this.o.repo.findUserByUsername(input.username))
      throw new HubHttpError(409, 'account-exists', `There is already an account "${input.username}".`, 'username');
    const temporaryPassword = generatePassword();
    const now = this.now();
    const user: UserRow = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(temporaryPassword),
      gmcNumber: input.role === 'consultant' ? input.gmcNumber : null,
      passwordResetAt: now,
      subspecialties: input.role === 'consultant' ? (input.subspecialties ?? []) : [],
    };
    await this.o.repo.createUser(user, now);
    if (input.role === 'gp-practice')
      await this.o.repo.addPracticeAccount({
        userId: user.id,
        odsCode: input.odsCode,
        practiceName: input.practiceName,
      });
    await this.audit('account.created', user, { role: input.role });
    return { account: await this.summary(user.username), temporaryPassword };
  }

  async list(role?: UserRole): Promise<AccountSummary[]> {
    const users = await this.o.repo.listUsers(role);
    return Promise.all(users.map((u) => this.summarise(u)));
  }

  async deactivate(username: string): Promise<AccountSummary> {
    const user = await this.mustFind(username);
    if (!user.deactivatedAt) {
      await this.o.repo.setDeactivated(user.id, this.now());
      await this.audit('account.deactivated', user);
    }
    return this.summary(username);
  }

  async reactivate(username: string): Promise<AccountSummary> {
    const user = await this.mustFind(username);
    if (user.deactivatedAt) {
      await this.o.repo.setDeactivated(user.id, null);
      await this.audit('account.reactivated', user);
    }
    return this.summary(username);
  }

  /** A new temporary password; every session of the account ends now. */
  async resetPassword(username: string): Promise<{ account: AccountSummary; temporaryPassword: string }> {
    const user = await this.mustFind(username);
    const temporaryPassword = generatePassword();
    await this.o.repo.setPassword(user.id, await hashPassword(temporaryPassword), this.now());
    await this.audit('account.password-reset', user);
    return { account: await this.summary(username), temporaryPassword };
  }

  async setSubspecialties(username: string, subspecialties: string[]): Promise<AccountSummary> {
    const user = await this.mustFind(username);
    if (user.role !== 'consultant')
      throw new HubHttpError(409, 'not-a-consultant', `"${username}" is not a consultant's account.`, 'username');
    await this.o.repo.setSubspecialties(user.id, subspecialties);
    await this.audit('account.subspecialties-set', user, { subspecialties });
    return this.summary(username);
  }

  private async summary(username: string): Promise<AccountSummary> {
    return this.summarise(await this.mustFind(username));
  }

  private async summarise(u: UserRow): Promise<AccountSummary> {
    const practice = u.role === 'gp-practice' ? await this.o.repo.practiceAccount(u.id) : null;
    return {
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      active: !u.deactivatedAt,
      mustChoosePassword: Boolean(u.passwordResetAt),
      gmcNumber: u.gmcNumber ?? null,
      subspecialties: u.subspecialties ?? [],
      practice: practice ? { odsCode: practice.odsCode, name: practice.practiceName } : null,
    };
  }

  private async mustFind(username: string): Promise<UserRow> {
    const user = await this.o.repo.findUserByUsername(username);
    if (!user) throw new HubHttpError(404, 'account-not-found', `There is no account "${username}".`, 'username');
    return user;
  }

  private async audit(action: string, user: UserRow, detail: Record<string, unknown> = {}): Promise<void> {
    await this.o.repo.audit(this.o.actor, action, user.id, { username: user.username, ...detail }, this.now());
  }

  private now(): string {
    return this.o.now().toISOString();
  }
}

/** A field the operator must correct (the CLI prints the message; the page shows it by the field). */
function invalid(field: string, message: string): HubHttpError {
  return new HubHttpError(422, 'validation', message, field);
}

/** 20 characters from a 32-letter alphabet without look-alikes (100 bits), read out or pasted once. */
function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789A';
  return Array.from(randomBytes(20), (b) => alphabet[b % 32]).join('');
}
