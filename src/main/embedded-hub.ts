import type { EmbeddedHubOptions } from './core/sync/sync-engine';

export interface EmbeddedHub {
  /** What the core's sync engine needs (pass as `sync.embeddedHub`). */
  readonly options: EmbeddedHubOptions;
  close(): Promise<void>;
}

/**
 * Started by the hosts (the Electron shell and the test host), never by the core: the core only
 * receives the hub's address and demo account (`createCore({ sync: { embeddedHub } })` or
 * `core.sync.useEmbeddedHub`), so the consultant's core carries no server.
 *
 * Starts the referral hub inside this process with demo data in `hubDir`, so a new user sees
 * real cases at once without running a server. The hosts put it beside the workstation's data
 * directory, never inside it: it stands in for a remote server and keeps its own (demo) store,
 * while the data directory holds only the workstation's encrypted cache. Seeding happens once per data dir
 * (the first start generates large demo photographs and takes a while; later starts are quick).
 * Hosts call this only when no hub URL is configured: an explicit hub turns it off.
 */
export async function startEmbeddedHub(
  hubDir: string,
  onProgress: (line: string) => void = () => {},
  /** The hub's clock: the same one the workstation's core runs on when a test or demo sets the date. */
  now?: () => Date,
): Promise<EmbeddedHub> {
  // Loaded lazily: a workstation pointed at a real hub never loads the hub's code.
  const { startHub } = await import('../hub/start-hub');
  const hub = await startHub({ dataDir: hubDir, demo: true, onProgress, ...(now ? { now } : {}) });
  return {
    options: { url: hub.url, ...(hub.demoCredentials ? { demoAccount: hub.demoCredentials } : {}) },
    close: () => hub.close(),
  };
}
