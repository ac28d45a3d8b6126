import type { Database } from 'better-sqlite3-multiple-ciphers';

/**
 * A numbered schema step. Once a migration has landed it is frozen: never edit it, add the
 * next number instead (Signal Desktop's rule), because databases in the field have run it.
 */
export interface Migration {
  readonly id: number;
  readonly name: string;
  up(db: Database): void;
}
