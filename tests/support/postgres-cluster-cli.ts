import { startPostgresCluster, stopPostgresCluster } from './postgres-cluster';

/**
 * `tsx tests/support/postgres-cluster-cli.ts start` prints the cluster as JSON and leaves it
 * running; `... stop <dir>` stops and deletes it. scripts/test-all.mjs brackets the suites with
 * these so `npm test` runs one cluster for every test file (each file makes its own database).
 */
const [command, dir] = process.argv.slice(2);
if (command === 'start') {
  console.log(JSON.stringify(await startPostgresCluster()));
} else if (command === 'stop' && dir) {
  stopPostgresCluster(dir);
} else {
  console.error('usage: postgres-cluster-cli.ts start | stop <dir>');
  process.exit(2);
}
