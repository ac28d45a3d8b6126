import type { Migration } from '../migration';
import { migration0001 } from './0001-initial';

/** Every migration in order. Append only. */
export const migrations: readonly Migration[] = [migration0001];
