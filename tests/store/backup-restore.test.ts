import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/hub/store/fs-object-store';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema } from '../../src/shared/hub-api/intake-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import {
  addPractice,
  consultantDecides,
  fixtureBase64,
  practiceLogin,
  sampleSubmission,
} from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { postgresBinDir } from '../support/postgres-cluster';
import { sampleDischarge } from '../support/sample-case';
import { createTestDatabase } from '../support/test-postgres';
import { makeTempDir } from '../support/temp-dir';
import { TEST_CLOCK_START } from '../support/test-clock';

/**
 * The deployment's backup, restored (docs/deployment.md): `pg_dump -Fc` of a hub's database
 * after real work, `pg_restore` into an empty database, and a new hub started on the restored
 * rows with the same photographs (the bucket, here the first hub's object folder). Everything a
 * practice and a consultant rely on must be there: accounts, the referral, the signed outcome,
 * the photographs, the sealing key, and the migrations recorded (none re-run).
 */
const hubs: TestHub[] = [];
const dumps = makeTempDir('dermdesk-dump-');
afterAll(async () => {
  for (const h of hubs) await h.close();
  dumps.remove();
});

const clock = () => new Date(TEST_CLOCK_START);

function pgTool(tool: string, args: string[]): string {
  return execFileSync(join(postgresBinDir(), tool), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('a hub restored from pg_dump', () => {
  it('serves the same practices, outcome, photographs and sealing key as the hub it was dumped from', async () => {
    const sourceUrl = await createTestDatabase();
    const source = await startTestHub({ databaseUrl: sourceUrl, now: clock });
    hubs.push(source);
    const practice = await addPractice(source);
    const practiceToken = await practiceLogin(source, practice);
    const sent = await fetch(`${source.url}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practiceToken}` },
      body: JSON.stringify(sampleSubmission(31)),
    });
    expect(sent.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await sent.json());
    await consultantDecides(source, await source.login(), caseId, sampleDischarge(), null, clock());
    const sealingKey = await (
      await fetch(`${source.url}${HUB_API_PREFIX}/sealing-key`, {
        headers: { authorization: `Bearer ${await source.login()}` },
      })
    ).json();

    const dumpFile = join(dumps.path, 'hub.dump');
    pgTool('pg_dump', ['-Fc', '--no-owner', '-f', dumpFile, '-d', sourceUrl]);
    const restoredUrl = await createTestDatabase();
    pgTool('pg_restore', ['--no-owner', '--exit-on-error', '-d', restoredUrl, dumpFile]);

    const restored = await startTestHub({
      databaseUrl: restoredUrl,
      now: clock,
      objects: new FsObjectStore(join(source.dataDir, 'objects')),
    });
    hubs.push(restored);
    // The practice signs in to the restored hub with its own password and finds the outcome.
    const tokenThere = await practiceLogin(restored, practice);
    const inbox = await fetch(`${restored.url}${HUB_API_PREFIX}/practice/inbox`, {
      headers: { authorization: `Bearer ${tokenThere}` },
    });
    expect(inbox.status).toBe(200);
    const item = inboxResponseSchema.parse(await inbox.json()).items.find((i) => i.caseId === caseId);
    expect(item?.status).toBe('decided');
    expect(item?.outcome?.outcome).toEqual(sampleDischarge().outcome);

    // The consultant (same account, same password) reads the photographs through the restored hub.
    const consultantThere = await restored.login(source.consultant);
    const photo = Buffer.from(fixtureBase64(31), 'base64');
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const image = await fetch(`${restored.url}${HUB_API_PREFIX}/images/${sha256}`, {
      headers: { authorization: `Bearer ${consultantThere}` },
    });
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).equals(photo)).toBe(true);
    // Workstations keep sealing their outbox to the same key.
    const keyThere = await (
      await fetch(`${restored.url}${HUB_API_PREFIX}/sealing-key`, {
        headers: { authorization: `Bearer ${consultantThere}` },
      })
    ).json();
    expect(keyThere).toEqual(sealingKey);
    // The migrations came with the dump: the restored hub applied none again.
    const applied = pgTool('psql', [
      '-At',
      '-d',
      restoredUrl,
      '-c',
      'SELECT count(*), max(applied_at) FROM hub_schema',
    ]);
    const original = pgTool('psql', ['-At', '-d', sourceUrl, '-c', 'SELECT count(*), max(applied_at) FROM hub_schema']);
    expect(applied).toBe(original);
  });
});
