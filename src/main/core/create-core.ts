import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { CaseCache } from './cases/case-cache';
import { currentSchemaVersion, openDatabase, type Db } from './db/open-database';
import { EventBus } from './events/event-bus';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings';
import { appHandlers } from './services/app-service';
import { worklistHandlers } from './services/worklist-service';
import { LockService } from './lock/lock-service';
import { lockHandlers, guardWhileLocked } from './services/lock-service-handlers';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  settings: SettingsStore;
  appVersion: string;
  now?: () => Date;
}

export interface Core {
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly db: Db;
  readonly cases: CaseCache;
  readonly lock: LockService;
  readonly dataDir: string;
  close(): void;
}

/**
 * The workstation backend as plain Node: both hosts (Electron, the test host) build exactly this
 * and differ only in transport and in which settings/secret adapters they pass in.
 */
export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const db = openDatabase(join(options.dataDir, 'cache.sqlite'));
  const events = new EventBus();
  const cases = new CaseCache(db, now);
  const context = { db, events, cases, now, settings: options.settings, secrets: options.secrets };

  const lock = new LockService(options.secrets, events, now, () => options.settings.get().autoLockMinutes);

  const handlers: Handlers = guardWhileLocked(lock, {
    ...appHandlers({ ...context, appVersion: options.appVersion, schemaVersion: () => currentSchemaVersion(db) }),
    ...worklistHandlers(context),
    ...lockHandlers(lock),
  });

  return {
    handlers,
    events,
    db,
    cases,
    lock,
    dataDir: options.dataDir,
    close() {
      db.close();
    },
  };
}

export type CoreContext = {
  db: Db;
  events: EventBus;
  cases: CaseCache;
  now: () => Date;
  settings: SettingsStore;
  secrets: SecretStore;
};
