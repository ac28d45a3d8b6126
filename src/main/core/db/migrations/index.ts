import type { Migration } from '../migration';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-decisions-outbox-audit';
import { migration0003 } from './0003-sync-outbox-hold';
import { migration0004 } from './0004-image-annotations';
import { migration0005 } from './0005-triage-worklist';
import { migration0006 } from './0006-annotation-sync';
import { migration0010 } from './0010-worklist-keys';
import { migration0014 } from './0014-worklist-sort-indexes';
import { migration0015 } from './0015-earlier-cases';

/** Every migration in order. Append only. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0010,
  migration0014,
  migration0015,
];
