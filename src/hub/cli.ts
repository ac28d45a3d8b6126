import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAdminCli } from './admin/admin-cli';
import { createHubLogger } from './http/hub-log';
import { parseTrustProxy } from './http/trust-proxy';
import { notifyConfigFromEnv } from './loop/notify-config';
import { startHub } from './start-hub';
import { S3ObjectStore, s3OptionsFromUrl } from './store/s3-object-store';
import { letterheadFromEnv } from '../common/letters/letterhead';

/**
 * `npm run hub -- --port N --data-dir DIR [--demo] [--host H] [--database-url postgres://…]`:
 * starts the referral hub and prints its URL (and, with --demo, the demo consultant's sign-in).
 * Without --database-url (or DERMDESK_HUB_DATABASE_URL) the rows live in `<data dir>/hub.sqlite`.
 * `--object-store s3://bucket[/prefix]` (or DERMDESK_HUB_OBJECT_STORE) keeps photographs in an
 * S3-compatible bucket (credentials and region from the AWS SDK's environment variables,
 * DERMDESK_S3_ENDPOINT for MinIO and the like); without it, files under `<data dir>/objects`.
 * DERMDESK_LETTERHEAD names a JSON file with the service's letterhead (common/letters/letterhead.ts).
 * DERMDESK_HUB_METRICS_TOKEN turns on Prometheus metrics at /metrics for that bearer token (an
 * environment variable, not a flag: a flag would show the secret in the process list).
 * `--trust-proxy 10.0.0.5,10.0.1.0/24` (or DERMDESK_HUB_TRUST_PROXY): behind a TLS proxy, read
 * the client's address from X-Forwarded-For on requests from those addresses only (trust-proxy.ts).
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
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run hub -- [--port 8787] [--host 127.0.0.1] [--data-dir .hub-data] [--demo] [--database-url postgres://…] [--object-store s3://bucket] [--tls-cert cert.pem --tls-key key.pem] [--trust-proxy 10.0.0.5,10.0.1.0/24]',
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
  const tls = tlsFrom(values['tls-cert'], values['tls-key']);
  const trustProxyList = values['trust-proxy'] ?? process.env.DERMDESK_HUB_TRUST_PROXY;
  const trustProxy = trustProxyList !== undefined ? parseTrustProxy(trustProxyList) : undefined;
  const notify = notifyConfigFromEnv(process.env);
  const started = Date.now();
  const hub = await startHub({
    ...(objects ? { objects } : {}),
    notify,
    log: createHubLogger({ level: process.env.DERMDESK_HUB_LOG_LEVEL ?? 'info' }),
    ...(process.env.DERMDESK_HUB_METRICS_TOKEN ? { metricsToken: process.env.DERMDESK_HUB_METRICS_TOKEN } : {}),
    letterhead: letterheadFromEnv(process.env),
    dataDir,
    port,
    host: values.host,
    ...(tls ? { tls } : {}),
    ...(trustProxy ? { trustProxy } : {}),
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
  if (!tls && !/^(127\.|localhost$|::1$)/.test(values.host))
    console.log(
      `[hub] warning: plain HTTP on ${values.host}; workstations refuse http:// except on loopback. Serve HTTPS with --tls-cert and --tls-key, or put a TLS proxy in front.`,
    );
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

/** The certificate and key files for HTTPS: both or neither, each read now (a bad path stops the start). */
function tlsFrom(certFile: string | undefined, keyFile: string | undefined): { cert: Buffer; key: Buffer } | null {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error('HTTPS needs both --tls-cert and --tls-key (PEM files).');
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(resolve(file));
    } catch (error) {
      throw new Error(`Cannot read the TLS ${what} ${file}: ${(error as Error).message}`, { cause: error });
    }
  };
  return { cert: read(certFile, 'certificate'), key: read(keyFile, 'private key') };
}

main().catch((error: unknown) => {
  const what = process.argv[2] === 'admin' ? 'admin' : 'could not start';
  console.error(`[hub] ${what}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
