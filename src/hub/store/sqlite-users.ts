import type Database from 'better-sqlite3-multiple-ciphers';
import type { IdempotencyBegin, TokenRow, UserRole, UserRow } from './hub-repository';

/**
 * Accounts, bearer tokens (stored only as SHA-256 hashes), idempotency records and meta: the
 * parts of the SQLite store that are not about cases. Base of SqliteHubRepository.
 */
export class SqliteUsers {
  constructor(protected readonly db: Database.Database) {}

  async createUser(user: UserRow, now: string): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO users (id, username, display_name, role, password_hash, created_at, gmc_number) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(user.id, user.username, user.displayName, user.role, user.passwordHash, now, user.gmcNumber ?? null);
  }

  async setGmcNumber(userId: string, gmcNumber: string | null): Promise<void> {
    this.db.prepare('UPDATE users SET gmc_number = ? WHERE id = ?').run(gmcNumber, userId);
  }

  async findUserByUsername(username: string): Promise<UserRow | null> {
    return this.user('SELECT * FROM users WHERE username = ?', username);
  }

  async findUserById(id: string): Promise<UserRow | null> {
    return this.user('SELECT * FROM users WHERE id = ?', id);
  }

  async insertToken(tokenHash: string, userId: string, createdAt: string, expiresAt: string): Promise<void> {
    this.db
      .prepare('INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, createdAt, expiresAt);
  }

  async findToken(tokenHash: string): Promise<TokenRow | null> {
    const row = this.db
      .prepare(
        'SELECT user_id AS userId, expires_at AS expiresAt, revoked_at AS revokedAt FROM tokens WHERE token_hash = ?',
      )
      .get(tokenHash) as TokenRow | undefined;
    return row ?? null;
  }

  async revokeToken(tokenHash: string, at: string): Promise<void> {
    this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(at, tokenHash);
  }

  async revokeUserTokens(userId: string, at: string): Promise<number> {
    // Counts only tokens that still worked: expired ones need no revoking.
    return this.db
      .prepare('UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?')
      .run(at, userId, at).changes;
  }

  /**
   * IETF Idempotency-Key draft: the first request with a key records its payload fingerprint
   * "in flight"; a repeat with the same fingerprint replays the stored response, with another
   * fingerprint is refused (422), and while the first is still running is refused (409). An
   * in-flight record older than `staleBefore` (a hub that died mid-request) is taken over.
   */
  async beginIdempotent(
    userId: string,
    key: string,
    fingerprint: string,
    now: string,
    staleBefore: string,
  ): Promise<IdempotencyBegin> {
    return this.db
      .transaction((): IdempotencyBegin => {
        const row = this.db
          .prepare('SELECT fingerprint, state, status, body, created_at FROM idempotency WHERE user_id = ? AND key = ?')
          .get(userId, key) as
          | { fingerprint: string; state: string; status: number | null; body: string | null; created_at: string }
          | undefined;
        if (row) {
          if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
          if (row.state === 'done') return { kind: 'replay', status: row.status ?? 200, body: row.body ?? '' };
          if (row.created_at > staleBefore) return { kind: 'in-flight' };
          this.db.prepare('UPDATE idempotency SET created_at = ? WHERE user_id = ? AND key = ?').run(now, userId, key);
          return { kind: 'new' };
        }
        this.db
          .prepare(
            `INSERT INTO idempotency (user_id, key, fingerprint, state, created_at) VALUES (?, ?, ?, 'in-flight', ?)`,
          )
          .run(userId, key, fingerprint, now);
        return { kind: 'new' };
      })
      .immediate();
  }

  async completeIdempotent(userId: string, key: string, status: number, body: string): Promise<void> {
    this.db
      .prepare(`UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE user_id = ? AND key = ?`)
      .run(status, body, userId, key);
  }

  async abandonIdempotent(userId: string, key: string): Promise<void> {
    this.db.prepare(`DELETE FROM idempotency WHERE user_id = ? AND key = ? AND state = 'in-flight'`).run(userId, key);
  }

  async getMeta(key: string): Promise<string | null> {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  close(): void {
    this.db.close();
  }

  private user(sql: string, value: string): UserRow | null {
    const r = this.db.prepare(sql).get(value) as
      | {
          id: string;
          username: string;
          display_name: string;
          role: UserRole;
          password_hash: string;
          gmc_number: string | null;
        }
      | undefined;
    return r
      ? {
          id: r.id,
          username: r.username,
          displayName: r.display_name,
          role: r.role,
          passwordHash: r.password_hash,
          gmcNumber: r.gmc_number,
        }
      : null;
  }
}
