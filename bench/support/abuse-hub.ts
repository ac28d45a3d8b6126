/**
 * The hub for bench/hub-abuse.bench.ts in its own process (so its memory is measured alone):
 * starts a hub on a free loopback port with one practice account and prints
 * `{ url, username, password, pid }` as one JSON line.
 */
import { startHub } from '../../src/hub/start-hub';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: abuse-hub.ts <data dir>');
  const hub = await startHub({ dataDir });
  const username = 'bench-practice';
  const password = 'bench-practice-battery-staple';
  await hub.admin.createPractice({
    username,
    password,
    displayName: 'Dr Bench',
    odsCode: 'B82005',
    practiceName: 'Bench Practice',
  });
  console.log(JSON.stringify({ url: hub.url, username, password, pid: process.pid }));
  process.once('SIGTERM', () => void hub.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
