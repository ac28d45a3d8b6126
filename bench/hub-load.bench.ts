/**
 * The hub under a region's load: a driver simulating 200 workstations (sign in, claim batches of
 * 5, download each case record, upload a signed decision) and GP practices sending 50 referrals a
 * minute, against (a) SQLite, one hub process; (b) PostgreSQL, one process; (c) PostgreSQL, two
 * processes behind a round-robin client. Prints claims/s, decisions/s, p50/p99 latency per
 * request kind, errors and double assignments for each, and beside the PostgreSQL rows pgbench
 * running the hub's own claim transaction as a custom script on the same database (the engine's
 * ceiling for that transaction, without HTTP, JSON or authentication).
 *
 * The hub processes are the real CLI (`tsx src/hub/cli.ts`); PostgreSQL is a throwaway cluster
 * (tests/support/postgres-cluster.ts: fsync off, as for tests; both sides of each comparison run
 * on it). The driver shares the 2-core machine with the hubs: say so beside the figures.
 *
 *   npm run bench -- hub-load            (HUB_LOAD_SECONDS=20 per scenario by default)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startHub } from '../src/hub/start-hub';
import { HUB_API_PREFIX } from '../src/shared/hub-api/consultant-api';
import { fixtureBase64, sampleSubmission } from '../tests/support/doors-fixture';
import { testCaseInput } from '../tests/support/hub-fixture';
import { spawnHubProcess, type HubProcess } from '../tests/support/hub-process';
import { postgresBinDir, startPostgresCluster, stopPostgresCluster } from '../tests/support/postgres-cluster';
import { sampleDischarge } from '../tests/support/sample-case';
import { makeTempDir } from '../tests/support/temp-dir';

const WORKSTATIONS = Number(process.env.HUB_LOAD_WORKSTATIONS ?? 200);
const CASES = Number(process.env.HUB_LOAD_CASES ?? 4000);
const SECONDS = Number(process.env.HUB_LOAD_SECONDS ?? 20);
const GP_PER_MINUTE = 50;
const PASSWORD = 'hub-load-password-1';

interface Latencies {
  [kind: string]: number[];
}

interface Outcome {
  scenario: string;
  claims: number;
  decisions: number;
  referrals: number;
  errors: number;
  doubleAssigned: number;
  seconds: number;
  latencies: Latencies;
}

async function seed(dataDir: string, databaseUrl?: string): Promise<void> {
  const hub = await startHub({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    await Promise.all(
      Array.from({ length: WORKSTATIONS }, (_, i) =>
        hub.admin.createUser({ username: `ws${i}`, password: PASSWORD, displayName: `Dr Load ${i}` }),
      ),
    );
    const receivedAt = new Date().toISOString();
    for (let i = 0; i < CASES; i++) await hub.admin.addCase({ ...testCaseInput(i, receivedAt), images: [] });
    await hub.admin.createPractice({
      username: 'load.practice',
      password: PASSWORD,
      displayName: 'Load practice',
      odsCode: 'Y09999',
      practiceName: 'Load Test Surgery',
    });
  } finally {
    await hub.close();
  }
}

interface Session {
  token: string;
  consultantId: string;
}

/**
 * Every workstation signs in before the clock starts, one after another: 200 sign-ins at once
 * from one address would trip the hub's per-address limit (a region's workstations sign in from
 * their own addresses, and a day's sign-ins are spread over the morning).
 */
async function signInAll(urls: string[]): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let i = 0; i < WORKSTATIONS; i++) {
    const res = await fetch(`${urls[i % urls.length]}${HUB_API_PREFIX}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `ws${i}`, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`ws${i} could not sign in: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string; consultant: { id: string } };
    sessions.push({ token: body.token, consultantId: body.consultant.id });
  }
  return sessions;
}

async function timed<T>(latencies: Latencies, kind: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    (latencies[kind] ??= []).push(performance.now() - start);
  }
}

async function drive(scenario: string, urls: string[], sessions: Session[]): Promise<Outcome> {
  const latencies: Latencies = {};
  const holder = new Map<string, number>();
  let claims = 0;
  let decisions = 0;
  let referrals = 0;
  let errors = 0;
  let doubleAssigned = 0;
  const firstErrors = new Map<string, string>();
  const failed = async (kind: string, res: Response): Promise<void> => {
    errors++;
    if (!firstErrors.has(kind)) firstErrors.set(kind, `${res.status} ${(await res.text()).slice(0, 200)}`);
  };
  const deadline = performance.now() + SECONDS * 1000;
  const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

  async function workstation(i: number): Promise<void> {
    const base = `${urls[i % urls.length]}${HUB_API_PREFIX}`;
    const { token, consultantId } = sessions[i]!;
    while (performance.now() < deadline) {
      const res = await timed(latencies, 'claim', () =>
        fetch(`${base}/batches/claim`, { method: 'POST', headers: json(token), body: JSON.stringify({ count: 5 }) }),
      );
      if (res.status !== 200) {
        await failed('claim', res);
        continue;
      }
      claims++;
      const { cases } = (await res.json()) as { cases: { id: string; version: number }[] };
      if (cases.length === 0) return;
      for (const c of cases) {
        const other = holder.get(c.id);
        if (other !== undefined && other !== i) doubleAssigned++;
        holder.set(c.id, i);
        const record = await timed(latencies, 'case', () =>
          fetch(`${base}/cases/${c.id}`, { headers: { authorization: `Bearer ${token}` } }),
        );
        if (record.status !== 200) {
          await failed('case', record);
          continue;
        }
        const { version, referral } = (await record.json()) as {
          version: number;
          referral: { priority: string };
        };
        // A suspected-cancer referral stays on its pathway (a downgrade needs advice to the referrer).
        const outcome =
          referral.priority === 'suspected-cancer'
            ? { kind: 'suspected-cancer-pathway' as const }
            : { kind: 'discharge' as const };
        const id = randomUUID();
        const put = await timed(latencies, 'decision', () =>
          fetch(`${base}/cases/${c.id}/decisions/${id}`, {
            method: 'PUT',
            headers: { ...json(token), 'idempotency-key': id, 'if-match': `"${version}"` },
            body: JSON.stringify({
              ...sampleDischarge({ outcome }),
              id,
              caseId: c.id,
              caseVersion: version,
              version: 1,
              supersedes: null,
              signedBy: { id: consultantId, displayName: `Dr Load ${i}` },
              signedAt: new Date().toISOString(),
            }),
          }),
        );
        if (put.status === 201) decisions++;
        else await failed(`decision (${referral.priority} → ${outcome.kind})`, put);
      }
    }
  }

  async function practice(): Promise<void> {
    const base = `${urls[0]}${HUB_API_PREFIX}`;
    const login = await fetch(`${base}/practice/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'load.practice', password: PASSWORD }),
    });
    if (login.status !== 200) return failed('practice login', login);
    const { token } = (await login.json()) as { token: string };
    const image = fixtureBase64(0);
    let seedNo = 0;
    while (performance.now() < deadline) {
      const started = performance.now();
      const submission = sampleSubmission(9000 + seedNo++, 1);
      const res = await timed(latencies, 'referral', () =>
        fetch(`${base}/intake/referrals`, {
          method: 'POST',
          headers: json(token),
          body: JSON.stringify({ ...submission, images: [{ ...submission.images[0]!, data: image }] }),
        }),
      );
      if (res.status === 201) referrals++;
      else await failed('referral', res);
      await new Promise((r) => setTimeout(r, Math.max(0, 60_000 / GP_PER_MINUTE - (performance.now() - started))));
    }
  }

  const started = performance.now();
  await Promise.all([...Array.from({ length: WORKSTATIONS }, (_, i) => workstation(i)), practice()]);
  const seconds = (performance.now() - started) / 1000;
  for (const [kind, sample] of firstErrors) console.log(`  first ${kind} error: ${sample}`);
  return { scenario, claims, decisions, referrals, errors, doubleAssigned, seconds, latencies };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(o: Outcome): void {
  const kinds = ['claim', 'case', 'decision', 'referral']
    .map(
      (k) =>
        `${k} p50 ${percentile(o.latencies[k] ?? [], 50).toFixed(1)} / p99 ${percentile(o.latencies[k] ?? [], 99).toFixed(1)} ms`,
    )
    .join('; ');
  console.log(
    `${o.scenario.padEnd(22)} claims ${(o.claims / o.seconds).toFixed(1)}/s  decisions ${(o.decisions / o.seconds).toFixed(1)}/s  referrals ${o.referrals}  errors ${o.errors}  double assignments ${o.doubleAssigned}\n${' '.repeat(23)}${kinds}`,
  );
}

/**
 * The hub's claim transaction as a pgbench script: the same statements, in the same order, in one
 * transaction, that the PostgreSQL repository sends for `POST /batches/claim`
 * (src/hub/store/kysely/case-store.ts `claim`, with case-rows.ts `releaseLapsed` and `remember`):
 *
 *   BEGIN
 *   1. releaseLapsed: select the open cases whose lease has lapsed, FOR UPDATE SKIP LOCKED
 *   2. pick: the next 5 open, unassigned cases not passed on by this consultant, in clinical
 *      order, FOR UPDATE SKIP LOCKED
 *   3. lease them: UPDATE ... WHERE id IN (picked) AND assigned_to IS NULL
 *   4. remember: INSERT INTO assignments ... ON CONFLICT DO NOTHING
 *   COMMIT
 *
 * pgbench has no string variables of its own, so two things are carried differently: the
 * consultant's id is read per transaction from `users` by pgbench's own `client_id` (client i is
 * workstation ws<i>; the hub reads the user per request too, from the bearer token), and the
 * picked ids come back from statement 2 through `\gset` as one quoted list (the pick wrapped in
 * string_agg; the rows, order, limit and locks are the repository's). pgbench substitutes
 * `:name` textually in its default simple protocol, quotes included, so `':me'` is the id as a
 * literal. "now" and the lease end are fixed literals, as the hub passes its clock's values.
 * One transaction claims one batch of 5, as one hub claim request does: pgbench's tps is
 * batches/s, the hub's claims/s is batches/s.
 */
function claimScript(now: string, leaseExpiresAt: string): string {
  return `SELECT id AS me FROM users WHERE username = 'ws' || :client_id \\gset
BEGIN;
SELECT id FROM cases WHERE status = 'open' AND assigned_to IS NOT NULL AND lease_expires_at <= '${now}' ORDER BY id FOR UPDATE SKIP LOCKED;
SELECT string_agg(quote_literal(id), ', ') AS ids, string_agg(format('(%L, %L, %L)', id, ':me', '${now}'), ', ') AS vals FROM (SELECT c.id, c.version FROM cases AS c WHERE c.status = 'open' AND c.assigned_to IS NULL AND NOT EXISTS (SELECT p.id FROM pass_ons AS p WHERE p.case_id = c.id AND p.consultant_id = ':me') ORDER BY c.priority_rank, c.due_on, c.received_at, c.id LIMIT 5 FOR UPDATE SKIP LOCKED) AS picked \\gset
UPDATE cases SET assigned_to = ':me', lease_expires_at = '${leaseExpiresAt}', batch_id = 'pgbench-:client_id', updated_at = '${now}' WHERE id IN (:ids) AND assigned_to IS NULL;
INSERT INTO assignments (case_id, consultant_id, first_at) VALUES :vals ON CONFLICT DO NOTHING;
COMMIT;
`;
}

/** Claim-only, through the hub: every workstation claims batches of 5 until the time is up. */
async function claimOnly(urls: string[], sessions: Session[]): Promise<number> {
  let claims = 0;
  const deadline = performance.now() + 10_000;
  await Promise.all(
    Array.from({ length: WORKSTATIONS }, async (_, i) => {
      const base = `${urls[i % urls.length]}${HUB_API_PREFIX}`;
      const { token } = sessions[i]!;
      while (performance.now() < deadline) {
        const res = await fetch(`${base}/batches/claim`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ count: 5 }),
        });
        if (res.status === 200 && ((await res.json()) as { cases: unknown[] }).cases.length > 0) claims++;
        else break;
      }
    }),
  );
  return claims / 10;
}

/** Multiplies the pool tenfold once, so neither side of the claim comparison runs dry. */
async function growPool(databaseUrl: string): Promise<void> {
  await sqlOn(
    databaseUrl,
    `DO $$ DECLARE cols text; BEGIN
    SELECT string_agg(quote_ident(column_name), ',') INTO cols FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'cases' AND column_name <> 'id';
    EXECUTE format('INSERT INTO cases (id, %s) SELECT gen_random_uuid()::text, %s FROM cases CROSS JOIN generate_series(1, 9)', cols, cols);
  END $$`,
  );
}

/** Frees every case (open, unassigned): each side of the comparison starts from the same pool. */
async function resetPool(databaseUrl: string): Promise<void> {
  await sqlOn(databaseUrl, `UPDATE cases SET status = 'open', assigned_to = NULL, lease_expires_at = NULL`);
  await sqlOn(databaseUrl, 'DELETE FROM assignments');
  await sqlOn(databaseUrl, 'VACUUM ANALYZE cases');
}

async function sqlOn(databaseUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * pgbench's rate for the claim transaction: `clients` connections held for the whole run (no
 * `-C`: the hub's pool keeps its connections too), 2 threads, 10 s, the default simple protocol.
 */
function pgbenchClaims(databaseUrl: string, scriptFile: string, clients: number): number {
  const now = new Date();
  writeFileSync(scriptFile, claimScript(now.toISOString(), new Date(now.getTime() + 4 * 3_600_000).toISOString()));
  const out = execFileSync(
    join(postgresBinDir(), 'pgbench'),
    ['-n', '-c', String(clients), '-j', '2', '-T', '10', '-f', scriptFile, databaseUrl],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const failed = /number of failed transactions: (\d+)/.exec(out);
  if (failed && Number(failed[1]) > 0) throw new Error(`pgbench transactions failed:\n${out}`);
  const tps = /tps = ([\d.]+)/.exec(out);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(tps[1]);
}

/** Cases leased by pgbench, counted against its batches: each batch must have leased 5. */
async function leasedCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE assigned_to IS NOT NULL`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  console.log(
    `hub-load: ${WORKSTATIONS} workstations, ${GP_PER_MINUTE} GP referrals a minute, ${SECONDS} s per scenario, ${CASES} cases; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const cluster = await startPostgresCluster();
  const scriptDir = makeTempDir('dermdesk-pgbench-');
  const scriptFile = join(scriptDir.path, 'claim.sql');
  try {
    for (const [scenario, engine, processes] of [
      ['SQLite, 1 process', 'sqlite', 1],
      ['PostgreSQL, 1 process', 'postgres', 1],
      ['PostgreSQL, 2 processes', 'postgres', 2],
    ] as const) {
      const dir = makeTempDir('dermdesk-hub-load-');
      let databaseUrl: string | undefined;
      if (engine === 'postgres') {
        const name = `hubload_${randomUUID().slice(0, 8)}`;
        const admin = new pg.Client({ connectionString: cluster.adminUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        databaseUrl = cluster.adminUrl.replace(/\/postgres$/, `/${name}`);
      }
      await seed(dir.path, databaseUrl);
      const hubs: HubProcess[] = [];
      try {
        for (let k = 0; k < processes; k++)
          hubs.push(
            await spawnHubProcess(dir.path, databaseUrl ? ['--database-url', databaseUrl] : [], {
              DERMDESK_HUB_LOG_LEVEL: 'silent',
            }),
          );
        const urls = hubs.map((h) => h.url);
        const sessions = await signInAll(urls);
        report(await drive(scenario, urls, sessions));
        if (databaseUrl) {
          await growPool(databaseUrl);
          await resetPool(databaseUrl);
          const ours = await claimOnly(urls, sessions);
          // The same pool again for each pgbench run, with the driver's 200 clients and with as
          // many as the hub processes' connection pools hold (10 each): the hub's 200 requests
          // reach PostgreSQL through those.
          const peers: string[] = [];
          for (const clients of [WORKSTATIONS, 10 * processes]) {
            await resetPool(databaseUrl);
            const tps = pgbenchClaims(databaseUrl, scriptFile, clients);
            peers.push(`pgbench ${clients} clients ${tps.toFixed(1)}/s (hub ${(ours / tps).toFixed(2)} of it)`);
            console.log(`${' '.repeat(23)}  pgbench ${clients} clients leased ${await leasedCount(databaseUrl)} cases`);
          }
          console.log(`${' '.repeat(23)}claim transaction only: hub ${ours.toFixed(1)}/s beside ${peers.join(', ')}`);
        }
      } finally {
        for (const h of hubs) await h.stop();
        dir.remove();
      }
    }
  } finally {
    stopPostgresCluster(cluster.dir);
    scriptDir.remove();
  }
}

await main();
