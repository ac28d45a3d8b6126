import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { startPostgresCluster, stopPostgresCluster, type PostgresCluster } from './postgres-cluster';

/**
 * A fresh PostgreSQL database for one test file. Under `npm test` the cluster is shared
 * (scripts/test-all.mjs starts it and sets DERMDESK_TEST_PG_URL); a file run on its own starts
 * a cluster of its own and stops it after its tests. Each call creates a new database, dropped
 * after the file's tests.
 */
let own: Promise<PostgresCluster> | null = null;
const created: { admin: string; name: string }[] = [];

async function adminUrl(): Promise<string> {
  const shared = process.env.DERMDESK_TEST_PG_URL;
  if (shared) return shared;
  own ??= startPostgresCluster();
  return (await own).adminUrl;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<string> {
  const url = await adminUrl();
  const name = `dermdesk_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  created.push({ admin: url, name });
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

afterAll(async () => {
  for (const { admin: url, name } of created.splice(0)) {
    await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  }
  if (own) {
    const cluster = await own;
    own = null;
    stopPostgresCluster(cluster.dir);
  }
});
