import type { CaseCache } from '../cases/case-cache';
import type { Db } from '../db/open-database';
import type { EventBus } from '../events/event-bus';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import type { SyncEngine } from '../sync/sync-engine';

/** What the contract's handlers work with (built by createCore). Here, so services never import createCore. */
export type CoreContext = {
  db: Db;
  /** The cache's sealed outbox journal: every write that queues an outbox row passes it on. */
  journal: SealedJournal;
  events: EventBus;
  cases: CaseCache;
  now: () => Date;
  settings: SettingsStore;
  secrets: SecretStore;
  sync: SyncEngine;
};
