import type { IdempotencyBegin, TokenRow, UserRole, UserRow } from '../hub-repository';
import { inTx, type Q } from './store-context';

/** Accounts, bearer tokens (stored only as SHA-256 hashes), idempotency records and meta. */
export async function createUser(q: Q, user: UserRow, now: string): Promise<void> {
  await q.db
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      created_at: now,
      gmc_number: user.gmcNumber ?? null,
      password_reset_at: user.passwordResetAt ?? null,
      subspecialties: JSON.stringify(user.subspecialties ?? []),
    })
    .execute();
}

export async function setGmcNumber(q: Q, userId: string, gmcNumber: string | null): Promise<void> {
  await q.db.updateTable('users').set({ gmc_number: gmcNumber }).where('id', '=', userId).execute();
}

const USER_COLUMNS = [
  'id',
  'username',
  'display_name',
  'role',
  'password_hash',
  'gmc_number',
  'deactivated_at',
  'password_reset_at',
  'subspecialties',
] as const;

type UserColumns = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  gmc_number: string | null;
  deactivated_at: string | null;
  password_reset_at: string | null;
  subspecialties: string;
};

function toUser(r: UserColumns): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as UserRole,
    passwordHash: r.password_hash,
    gmcNumber: r.gmc_number,
    deactivatedAt: r.deactivated_at,
    passwordResetAt: r.password_reset_at,
    subspecialties: JSON.parse(r.subspecialties) as string[],
  };
}

export async function findUser(q: Q, by: 'username' | 'id', value: string): Promise<UserRow | null> {
  const r = await q.db.selectFrom('users').select(USER_COLUMNS).where(by, '=', value).executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function listUsers(q: Q, role?: UserRole): Promise<UserRow[]> {
  let query = q.db.selectFrom('users').select(USER_COLUMNS).orderBy('username');
  if (role) query = query.where('role', '=', role);
  return (await query.execute()).map(toUser);
}

export async function setDeactivated(q: Q, userId: string, at: string | null): Promise<void> {
  await inTx(q, async (t) => {
    await t.db.updateTable('users').set({ deactivated_at: at }).where('id', '=', userId).execute();
    if (at) await revokeUserTokens(t, userId, at);
  });
}

export async function setPassword(q: Q, userId: string, passwordHash: string, resetAt: string | null): Promise<void> {
  await inTx(q, async (t) => {
    await t.db
      .updateTable('users')
      .set({ password_hash: passwordHash, password_reset_at: resetAt })
      .where('id', '=', userId)
      .execute();
    // A reset ends every session: whoever had the old password is signed out.
    if (resetAt) await revokeUserTokens(t, userId, resetAt);
  });
}

export async function setSubspecialties(q: Q, userId: string, subspecialties: string[]): Promise<void> {
  await q.db
    .updateTable('users')
    .set({ subspecialties: JSON.stringify(subspecialties) })
    .where('id', '=', userId)
    .execute();
}

export async function insertToken(q: Q, hash: string, userId: string, createdAt: string, expiresAt: string) {
  await q.db
    .insertInto('tokens')
    .values({ token_hash: hash, user_id: userId, created_at: createdAt, expires_at: expiresAt })
    .execute();
}

export async function findToken(q: Q, hash: string): Promise<TokenRow | null> {
  const r = await q.db
    .selectFrom('tokens')
    .select(['user_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  return r ? { userId: r.user_id, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
}

export async function revokeToken(q: Q, hash: string, at: string): Promise<void> {
  await q.db
    .updateTable('tokens')
    .set({ revoked_at: at })
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserTokens(q: Q, userId: string, at: string): Promise<number> {
  // Counts only tokens that still worked: expired ones need no revoking.
  const r = await q.db
    .updateTable('tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * IETF Idempotency-Key draft: the first request with a key records its payload fingerprint
 * "in flight"; a repeat with the same fingerprint replays the stored response, with another
 * fingerprint is refused (422), and while the first is still running is refused (409). An
 * in-flight record older than `staleBefore` (a hub that died mid-request) is taken over. The
 * insert is ON CONFLICT DO NOTHING, so two hub processes racing on one key create one record.
 */
export async function beginIdempotent(
  q: Q,
  userId: string,
  key: string,
  fingerprint: string,
  now: string,
  staleBefore: string,
): Promise<IdempotencyBegin> {
  return inTx(q, async (t): Promise<IdempotencyBegin> => {
    const inserted = await t.db
      .insertInto('idempotency')
      .values({ user_id: userId, key, fingerprint, state: 'in-flight', created_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'new' };
    let read = t.db
      .selectFrom('idempotency')
      .select(['fingerprint', 'state', 'status', 'body', 'created_at'])
      .where('user_id', '=', userId)
      .where('key', '=', key);
    if (t.engine === 'postgres') read = read.forUpdate();
    const row = await read.executeTakeFirstOrThrow();
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'done') return { kind: 'replay', status: row.status ?? 200, body: row.body ?? '' };
    if (row.created_at > staleBefore) return { kind: 'in-flight' };
    await t.db
      .updateTable('idempotency')
      .set({ created_at: now })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
    return { kind: 'new' };
  });
}

export async function completeIdempotent(q: Q, userId: string, key: string, status: number, body: string) {
  await q.db
    .updateTable('idempotency')
    .set({ state: 'done', status, body })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

export async function abandonIdempotent(q: Q, userId: string, key: string): Promise<void> {
  await q.db
    .deleteFrom('idempotency')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('state', '=', 'in-flight')
    .execute();
}

export async function getMeta(q: Q, key: string): Promise<string | null> {
  return (await q.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setMeta(q: Q, key: string, value: string): Promise<void> {
  await q.db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function initMeta(q: Q, key: string, value: string): Promise<string> {
  await q.db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return (await getMeta(q, key))!;
}
