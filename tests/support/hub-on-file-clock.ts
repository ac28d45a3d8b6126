import { letterheadFromEnv } from '../../src/common/letters/letterhead';
import { notifyConfigFromEnv } from '../../src/hub/loop/notify-config';
import { startHub } from '../../src/hub/start-hub';
import { fileClock } from './hub-clock-file';

/**
 * The referral hub as its own OS process, like `src/hub/cli.ts`, with one difference for e2e
 * specs: its `now` comes from the clock file DERMDESK_TEST_CLOCK_FILE (tests/support/
 * hub-clock-file.ts), so a spec can move the hub's calendar while it runs. This launcher lives in
 * tests/ on purpose: the product's CLI cannot be given a fake clock. The outcome loop sweeps
 * every DERMDESK_TEST_SWEEP_MS (default 500 ms) so a moved clock is acted on at once. Mail and
 * texts (loop/notify-config.ts) and the letterhead come from the same environment variables as the CLI.
 * Usage: node --import tsx tests/support/hub-on-file-clock.ts --data-dir DIR
 */
async function main(): Promise<void> {
  const file = process.env['DERMDESK_TEST_CLOCK_FILE'];
  if (!file) throw new Error('DERMDESK_TEST_CLOCK_FILE is required');
  const dirAt = process.argv.indexOf('--data-dir');
  const dataDir = dirAt > 0 ? process.argv[dirAt + 1] : undefined;
  if (!dataDir) throw new Error('--data-dir DIR is required');
  const now = fileClock(file);
  now(); // a missing or unreadable clock file stops the start here, not at the first request
  const hub = await startHub({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    now,
    letterhead: letterheadFromEnv(process.env),
    notify: {
      ...notifyConfigFromEnv(process.env),
      sweepIntervalMs: Number(process.env['DERMDESK_TEST_SWEEP_MS'] ?? 500),
    },
  });
  console.log(`DermDesk referral hub (test clock) listening on ${hub.url}`);
  const stop = () => void hub.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`[hub] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
