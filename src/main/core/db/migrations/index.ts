import type { Migration } from '../migration';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-decisions-outbox-audit';

/** Every migration in order. Append only. */
export const migrations: readonly Migration[] = [migration0001, migration0002];
