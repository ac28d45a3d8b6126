import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HubAdmin } from './admin/hub-admin';
import { RateLimiter } from './auth/rate-limiter';
import { loadOrCreateSealingKey } from './auth/sealing-key';
import type { HubContext } from './hub-context';
import { buildApp } from './http/build-app';
import { HubMetrics } from './http/hub-metrics';
import type { Logger } from 'pino';
import { FsObjectStore } from './store/fs-object-store';
import type { ObjectStore } from './store/object-store';
import { databaseConfigFrom, openHubStore } from './store/open-hub-store';
import { registerHubDoors, type HubDoorsOptions } from './intake/hub-doors';
import { OutcomeLoop } from './loop/outcome-loop';
import { collectStaleUploads, STALE_UPLOAD_SWEEP_MS } from './intake/stale-uploads';
import { channelNotifier } from './loop/notifier';
import { smtpEmailSender, type SmtpOptions } from './loop/smtp-email-sender';
import { notifySmsSender, type NotifySmsOptions } from './loop/notify-sms-sender';
import type { Letterhead } from '../common/letters/letterhead';

export interface StartHubOptions {
  dataDir: string;
  /**
   * postgres://… to keep the hub's rows in PostgreSQL (several hub processes may share it);
   * unset: the embedded SQLite file `<dataDir>/hub.sqlite`.
   */
  databaseUrl?: string;
  /**
   * Where photographs are kept: unset, files under `<dataDir>/objects`; for a region, an
   * S3ObjectStore (`--object-store s3://bucket`). The hub closes it when it closes.
   */
  objects?: ObjectStore;
  /** Structured JSON log lines (pino) go here; unset, the hub logs nothing (the CLI sends them to stdout). */
  log?: Logger;
  /** The bearer token Prometheus scrapes /metrics with; unset, /metrics answers 404. */
  metricsToken?: string;
  /** The service's letterhead on outcome letters (the CLI reads DERMDESK_LETTERHEAD); unset, the demo's. */
  letterhead?: Letterhead;
  /** Serve HTTPS with this PEM certificate (chain) and private key (`--tls-cert F --tls-key F`). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The TLS-terminating proxies in front (`--trust-proxy`): their X-Forwarded-For names the client
   * for the per-address limits and the audit. Unset: the connecting address, header ignored.
   */
  trustProxy?: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Seed the demo consultant and referrals (once per data dir). */
  demo?: boolean;
  now?: () => Date;
  leaseMinutes?: number;
  tokenTtlMinutes?: number;
  /** Failed sign-ins per username, and attempts per client address, per window. */
  loginLimits?: { perUser: number; perIp: number; windowMinutes: number };
  hooks?: HubContext['hooks'];
  /** GP intake, patient links, practice inbox, feedback, dashboard (src/hub/intake/hub-doors.ts). */
  doors?: HubDoorsOptions;
  /** Progress lines while seeding the demo (the CLI prints them). */
  onProgress?: (line: string) => void;
  /** Closing the loop (src/hub/loop): where practices and patients are told, and how. */
  notify?: {
    smtp?: SmtpOptions;
    sms?: NotifySmsOptions;
    /** The address in links (default: the address the hub listens on). */
    publicUrl?: string;
    /** How often the loop dispatches, escalates and sends (default 30 s; tests call sweep()). */
    sweepIntervalMs?: number;
  };
}

export interface RunningHub {
  url: string;
  admin: HubAdmin;
  /** Present when started with `demo: true`. */
  demoCredentials: { username: string; password: string } | null;
  /** Dispatch, failsafe escalation and message delivery (tests call `loop.sweep()`). */
  loop: OutcomeLoop;
  /** Deletes uploads nobody cited within a day (hourly on its own; tests call it). Objects removed. */
  collectStaleUploads(): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_LEASE_MINUTES = 24 * 60;
/** Re-authentication after 12 hours (issue 5). */
export const DEFAULT_TOKEN_TTL_MINUTES = 12 * 60;

/** Opens (creating if needed) the hub's store in `dataDir` and serves the consultant API. */
export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  // The hub's own folder (database, photographs, logs): this user only.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(options.dataDir, 0o700);
  const repo = await openHubStore(databaseConfigFrom(options.databaseUrl, join(options.dataDir, 'hub.sqlite')));
  const limits = options.loginLimits ?? { perUser: 5, perIp: 30, windowMinutes: 15 };
  const now = options.now ?? (() => new Date());
  const clockMs = () => now().getTime();
  const objects: ObjectStore = options.objects ?? new FsObjectStore(join(options.dataDir, 'objects'));
  let sealingKey;
  try {
    sealingKey = await loadOrCreateSealingKey(repo, options.dataDir);
  } catch (error) {
    objects.close?.();
    await repo.close();
    throw error;
  }
  const ctx: HubContext = {
    repo,
    objects,
    metrics: new HubMetrics(),
    ...(options.log ? { log: options.log } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.letterhead ? { letterhead: options.letterhead } : {}),
    now,
    leaseMinutes: options.leaseMinutes ?? DEFAULT_LEASE_MINUTES,
    tokenTtlMinutes: options.tokenTtlMinutes ?? DEFAULT_TOKEN_TTL_MINUTES,
    loginPerUser: new RateLimiter(repo, 'login-user', limits.perUser, limits.windowMinutes * 60_000, clockMs),
    loginPerIp: new RateLimiter(repo, 'login-ip', limits.perIp, limits.windowMinutes * 60_000, clockMs),
    hooks: options.hooks ?? {},
    sealingKey,
  };
  const smtp = options.notify?.smtp ? smtpEmailSender(options.notify.smtp) : null;
  let url = '';
  const loop = new OutcomeLoop({
    repo,
    notifier: channelNotifier({
      ...(smtp ? { email: smtp } : {}),
      ...(options.notify?.sms ? { sms: notifySmsSender({ now: ctx.now, ...options.notify.sms }) } : {}),
    }),
    now: ctx.now,
    publicUrl: () => options.notify?.publicUrl ?? url,
    log: options.onProgress ?? (() => undefined),
  });
  ctx.loop = loop;
  const admin = new HubAdmin(ctx);
  const app = buildApp(ctx, {
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
  });
  let demoCredentials: RunningHub['demoCredentials'] = null;
  try {
    await registerHubDoors(app, ctx, {
      ...options.doors,
      demo: options.demo ?? false,
    });
    if (options.demo) {
      const { seedDemo } = await import('./demo/seed-demo');
      demoCredentials = await seedDemo(admin, ctx, options.dataDir, options.onProgress ?? (() => undefined));
    }
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await app.close();
    smtp?.close();
    objects.close?.();
    await repo.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  loop.start(options.notify?.sweepIntervalMs ?? 30_000);
  const collectUploads = () => collectStaleUploads(repo, objects, ctx.now());
  const uploadSweep = setInterval(() => {
    collectUploads().catch((error: unknown) =>
      ctx.log?.warn({ err: error }, 'stale upload collection failed; tried again next hour'),
    );
  }, STALE_UPLOAD_SWEEP_MS);
  uploadSweep.unref();
  let closed = false;
  return {
    url,
    admin,
    demoCredentials,
    loop,
    collectStaleUploads: collectUploads,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(uploadSweep);
      await loop.stop();
      await app.close();
      await loop.stop();
      smtp?.close();
      objects.close?.();
      await repo.close();
    },
  };
}
