import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { CaseCache } from './cases/case-cache';
import { openCache } from './db/open-cache';
import { purgeCache } from './retention/purge-cache';
import { currentSchemaVersion, type Db } from './db/open-database';
import { EventBus } from './events/event-bus';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings';
import { appHandlers } from './services/app-service';
import { worklistHandlers } from './services/worklist-service';
import { caseHandlers } from './services/case-service';
import { decisionHandlers } from './services/decision-service';
import { LockService } from './lock/lock-service';
import { lockHandlers, guardWhileLocked } from './services/lock-service-handlers';
import { DerivativeQueue, type DerivativesQueue } from './images/derivative-queue';
import { inProcessDeriver, WorkerDeriver } from './images/derivers';
import { imageHandlers } from './services/image-service';
import { exportHandlers } from './services/export-service';
import { imageKeyFromCacheKey } from './crypto/file-cipher';
import { readCachedImage, type CachedImageRead } from './images/image-reader';
import { resolveImageFile } from './images/image-paths';
import { moveLegacyOriginals } from './images/legacy-originals';
import { inProcessPartWriters, WorkerPartWriters } from './images/part-writers';
import { SyncEngine, type SyncEngineOptions } from './sync/sync-engine';
import { syncHandlers } from './sync/sync-handlers';
import { silentLogger, type Logger } from './logging/logger';
import { openSealedOutbox } from './outbox/sealed-delivery';
import type { SealedJournal } from './outbox/sealed-journal';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  settings: SettingsStore;
  appVersion: string;
  now?: () => Date;
  /**
   * The cache key (hex, from the keychain via ensureCacheKey): SQLCipher's key for the database,
   * and through HKDF the AES-256-GCM key of every cached image file.
   */
  databaseKey: string;
  /**
   * Where exported letters are written: outside the data directory on purpose (an export is a
   * deliberate copy for the GP, audited; the data directory holds only encrypted patient data).
   * Default: an `exports` folder beside the data directory.
   */
  exportDir?: string;
  /**
   * The built derivation worker (derive-worker.ts's bundle): previews and tiles are then made in a
   * worker thread, off the core's event loop. Absent: on the calling thread (tools, most tests).
   */
  deriveWorker?: { script: string; execArgv?: string[] };
  /**
   * The built image write worker (image-write-worker.ts's bundle): downloaded photographs are then
   * hashed, encrypted and written in a worker thread, off the core's event loop. Absent: on the
   * calling thread with blocking file calls (tools, most tests).
   */
  writeWorker?: { script: string; execArgv?: string[] };
  /**
   * Where the core logs (pino, redacting patient data, in the shell and the test host). Absent:
   * nothing is logged (tools, tests).
   */
  logger?: Logger;
  /** Sync tuning and the embedded hub (see SyncEngineOptions); `autoStartOutbox: false` in tests that drive the outbox. */
  sync?: Pick<SyncEngineOptions, 'embeddedHub' | 'requestTimeoutMs' | 'imageIdleTimeoutMs' | 'onImageStored'> & {
    autoStartOutbox?: boolean;
  };
}

export interface Core {
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly db: Db;
  /** The core's logger (the hosts log transport failures through it too). */
  readonly logger: Logger;
  /** The cache's sealed outbox journal: pass it to any write that queues an outbox row. */
  readonly journal: SealedJournal;
  readonly cases: CaseCache;
  readonly lock: LockService;
  readonly sync: SyncEngine;
  readonly dataDir: string;
  /** Call `derivatives.enqueue(sha256)` after storing an original; progress goes out as `images.derivatives-progress`. */
  readonly derivatives: DerivativesQueue;
  /** One cached image variant, decrypted, for the hosts' image servers. */
  readImage(sha256: string, variant: string): Promise<CachedImageRead>;
  close(): void;
  /** Stops background work (outbox sends, image derivations in flight), then closes the database. */
  shutdown(): Promise<void>;
}

/**
 * The workstation backend as plain Node: both hosts (Electron, the test host) build exactly this
 * and differ only in transport and in which settings/secret adapters they pass in.
 */
export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const { db, movedAside } = openCache(options.dataDir, options.databaseKey, now());
  if (movedAside)
    logger.warn({ movedAside }, 'the cache could not be read with this key: set aside, a fresh one started');
  // Before anything queues an outbox row: every row is also sealed to the hub. If the cache was
  // just set aside (key lost), its journal is now an orphan: the consultant is told (sync status
  // cacheRecovery) and its entries go to the hub after the next sign-in.
  const sealed = openSealedOutbox(db, options.dataDir, options.settings);
  // Before anything reads an image: a cache from before the flat originals layout is moved to it.
  moveLegacyOriginals(db, options.dataDir);
  // Retention runs at every start: cases the hub confirmed long enough ago leave the laptop.
  const journal = sealed.journal;
  const purged = purgeCache(
    db,
    options.dataDir,
    { retentionDays: options.settings.get().retentionDays, actor: 'system' },
    now(),
    journal,
  );
  if (purged.casesPurged > 0) logger.info({ ...purged }, 'retention: confirmed cases removed from the cache');
  const events = new EventBus();
  const cases = new CaseCache(db, now, (sha256) => resolveImageFile(options.dataDir, sha256, 'thumb').ok);
  const imageKey = imageKeyFromCacheKey(options.databaseKey);
  const deriver = options.deriveWorker
    ? new WorkerDeriver(options.deriveWorker.script, options.dataDir, imageKey, options.deriveWorker.execArgv)
    : inProcessDeriver(options.dataDir, imageKey);
  // The worker starts (and warms up) now, not when the first photograph arrives.
  void deriver.warmUp();
  const derivativeQueue = new DerivativeQueue(options.dataDir, deriver, (status) => {
    if (status.state === 'failed') logger.warn({ sha256: status.sha256, reason: status.message }, 'image not derived');
    events.emit('images.derivatives-progress', status);
  });
  const imageWriters = options.writeWorker
    ? new WorkerPartWriters(options.writeWorker.script, imageKey, options.writeWorker.execArgv)
    : inProcessPartWriters(imageKey);
  const sync = new SyncEngine({
    db,
    events,
    cases,
    now,
    settings: options.settings,
    secrets: options.secrets,
    dataDir: options.dataDir,
    imageKey,
    sealed,
    logger: logger.child({ part: 'sync' }),
    // Previews and tiles are derived once per newly stored original (the viewer's queue).
    onImageStored: (sha256) => derivativeQueue.enqueue(sha256),
    imageWriters,
    ...options.sync,
  });
  const context = { db, journal, events, cases, now, settings: options.settings, secrets: options.secrets, sync };

  const lock = new LockService(options.secrets, events, now, () => options.settings.get().autoLockMinutes);

  const exportFiles = {
    dataDir: options.dataDir,
    imageKey,
    exportDir: options.exportDir ?? defaultExportDir(options.dataDir),
  };
  const handlers: Handlers = guardWhileLocked(lock, {
    ...appHandlers({ ...context, appVersion: options.appVersion, schemaVersion: () => currentSchemaVersion(db) }),
    ...worklistHandlers(context),
    ...lockHandlers(lock),
    ...syncHandlers(sync, lock),
    ...imageHandlers({ ...context, derivativeQueue }),
    ...caseHandlers(context),
    ...decisionHandlers({ ...context, files: exportFiles }),
    ...exportHandlers({ ...context, files: exportFiles }),
  });
  if (options.sync?.autoStartOutbox !== false) sync.outbox.start();

  return {
    handlers,
    events,
    db,
    logger,
    journal,
    cases,
    lock,
    sync,
    dataDir: options.dataDir,
    derivatives: derivativeQueue,
    readImage: (sha256, variant) => readCachedImage(options.dataDir, imageKey, sha256, variant),
    close() {
      sync.outbox.stop();
      void deriver.close();
      void imageWriters.shutdown();
      db.close();
    },
    async shutdown() {
      sync.outbox.stop();
      await derivativeQueue.close();
      await imageWriters.shutdown();
      db.close();
    },
  };
}

function defaultExportDir(dataDir: string): string {
  return join(dirname(dataDir), 'exports');
}
