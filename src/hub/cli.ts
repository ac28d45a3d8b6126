import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAdminCli } from './admin/admin-cli';
import { createHubLogger } from './http/hub-log';
import { notifyConfigFromEnv } from './loop/notify-config';
import { startHub } from './start-hub';
import { S3ObjectStore, s3OptionsFromUrl } from './store/s3-object-store';

/**
 * `npm run hub -- --port N --data-dir DIR [--demo] [--host H] [--database-url postgres://…]`:
 * starts the referral hub and prints its URL (and, with --demo, the demo consultant's sign-in).
 * Without --database-url (or DERMDESK_HUB_DATABASE_URL) the rows live in `<data dir>/hub.sqlite`.
 * `--object-store s3://bucket[/prefix]` (or DERMDESK_HUB_OBJECT_STORE) keeps photographs in an
 * S3-compatible bucket (credentials and region from the AWS SDK's environment variables,
 * DERMDESK_S3_ENDPOINT for MinIO and the like); without it, files under `<data dir>/objects`.
 * DERMDESK_HUB_METRICS_TOKEN turns on Prometheus metrics at /metrics for that bearer token (an
 * environment variable, not a flag: a flag would show the secret in the process list).
 * Mail and texts for the outcome loop: loop/notify-config.ts lists the variables.
 */
async function main(): Promise<void> {
  if (process.argv[2] === 'admin') return runAdminCli(process.argv.slice(3));
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: '.hub-data' },
      demo: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      'object-store': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run hub -- [--port 8787] [--host 127.0.0.1] [--data-dir .hub-data] [--demo] [--database-url postgres://…] [--object-store s3://bucket]',
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, not ${values.port}`);
  const dataDir = resolve(values['data-dir']);
  const databaseUrl = values['database-url'] ?? process.env.DERMDESK_HUB_DATABASE_URL;
  const objectStoreUrl = values['object-store'] ?? process.env.DERMDESK_HUB_OBJECT_STORE;
  const objects = objectStoreUrl ? new S3ObjectStore(s3OptionsFromUrl(objectStoreUrl)) : undefined;
  const notify = notifyConfigFromEnv(process.env);
  const started = Date.now();
  const hub = await startHub({
    ...(objects ? { objects } : {}),
    notify,
    log: createHubLogger({ level: process.env.DERMDESK_HUB_LOG_LEVEL ?? 'info' }),
    ...(process.env.DERMDESK_HUB_METRICS_TOKEN ? { metricsToken: process.env.DERMDESK_HUB_METRICS_TOKEN } : {}),
    dataDir,
    port,
    host: values.host,
    demo: values.demo,
    ...(databaseUrl ? { databaseUrl } : {}),
    onProgress: (line) => console.log(`[hub] ${line}`),
  });
  // Never print the URL itself: it may carry the database password.
  const rows = databaseUrl ? 'PostgreSQL' : 'SQLite';
  const photographs = objects ? 'S3 bucket' : 'files';
  console.log(
    `DermDesk referral hub listening on ${hub.url} (data: ${dataDir}, rows: ${rows}, photographs: ${photographs}, ready in ${Date.now() - started} ms)`,
  );
  const mail = notify.smtp ? `SMTP ${notify.smtp.host}:${notify.smtp.port}` : 'off (messages wait for the operator)';
  console.log(`[hub] outcome loop: mail ${mail}; texts ${notify.sms ? 'Notify' : 'off'}`);
  if (hub.demoCredentials) {
    console.log(`Demo consultant: username ${hub.demoCredentials.username}  password ${hub.demoCredentials.password}`);
  }
  const stop = (signal: string) => {
    console.log(`[hub] ${signal}: closing`);
    void hub.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const what = process.argv[2] === 'admin' ? 'admin' : 'could not start';
  console.error(`[hub] ${what}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
