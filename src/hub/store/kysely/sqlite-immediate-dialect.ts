import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes for a file several connections share:
 *
 * - Every transaction starts with BEGIN IMMEDIATE: it takes the write lock at once, so two hub
 *   processes on one file never both read and then fail to upgrade (SQLITE_BUSY mid-transaction);
 *   the second waits (busy_timeout) and runs after.
 * - Connections to the same file in ONE process take turns (a process-wide queue per file). A
 *   Kysely transaction spans several awaits; if a second connection in the same process began
 *   its own while the first was open, better-sqlite3 would wait for the lock synchronously,
 *   blocking the very event loop the first transaction needs to finish.
 */
export class SqliteImmediateDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig & { file: string };

  constructor(config: SqliteDialectConfig & { file: string }) {
    super(config);
    this.#settings = config;
  }

  override createDriver(): Driver {
    return new ImmediateDriver(this.#settings, this.#settings.file);
  }
}

const fileQueues = new Map<string, { tail: Promise<void>; users: number }>();

class ImmediateDriver extends SqliteDriver {
  #release: (() => void) | null = null;

  constructor(
    config: SqliteDialectConfig,
    private readonly file: string,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    const queue = fileQueues.get(this.file) ?? { tail: Promise.resolve(), users: 0 };
    fileQueues.set(this.file, queue);
    queue.users += 1;
    const previous = queue.tail;
    let release!: () => void;
    queue.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = () => {
      queue.users -= 1;
      if (queue.users === 0) fileQueues.delete(this.file);
      release();
    };
    return connection;
  }

  override async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
