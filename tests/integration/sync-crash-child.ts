// Child process for sync-crash.test.ts: opens the workstation core on an existing data dir and
// sends the outbox until it is empty. The parent SIGKILLs it at a random instant.
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { openCore } from './sync-support';

const [dataDir] = process.argv.slice(2);
const secrets = new MemorySecretStore();
await secrets.set('hub-token', process.env['DERMDESK_TEST_HUB_TOKEN'] ?? '');
const core = openCore(dataDir ?? '', secrets);
// One line per outbox row the worker finished with, so the parent can aim its kill.
core.events.subscribe((name) => {
  if (name === 'sync.status-changed') process.stdout.write('row\n');
});
process.stdout.write('ready\n');
for (let i = 0; i < 50; i++) {
  const report = await core.sync.outbox.sendDue({ ignoreBackoff: true });
  if (report.sent === 0 && report.retried === 0) break;
}
core.close();
process.stdout.write('done\n');
