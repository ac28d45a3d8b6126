import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  caseResponseSchema,
  changesResponseSchema,
  claimResponseSchema,
} from '../../src/shared/hub-api/consultant-api';
import { dermoscopyFixtures } from '../support/fixtures';
import { hubFetch, startTestHub, type TestHub } from '../support/hub-fixture';

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

async function claimAll(h: TestHub, token: string) {
  return claimResponseSchema.parse(
    await (await hubFetch(h.url, token, '/batches/claim', { body: { count: 100 } })).json(),
  );
}

describe('case download', () => {
  it('serves the case JSON with ETag "<version>" and a manifest describing the real image bytes', async () => {
    hub = await startTestHub({ cases: 3 });
    const token = await hub.login();
    await claimAll(hub, token);
    const fixtures = new Map(
      dermoscopyFixtures().map((f) => [createHash('sha256').update(readFileSync(f)).digest('hex'), f]),
    );
    for (const seeded of hub.cases) {
      const res = await hubFetch(hub.url, token, `/cases/${seeded.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      const record = caseResponseSchema.parse(await res.json());
      expect(record).toEqual({ ...seeded, earlierCases: [] }); // three patients, none referred before
      for (const img of record.images) {
        const file = fixtures.get(img.sha256);
        expect(file, 'manifest sha256 is the sha256 of a real fixture').toBeDefined();
        expect(img.bytes).toBe(readFileSync(file!).length);
        expect(img.mediaType).toBe('image/jpeg');
        expect([img.width, img.height]).toEqual([600, 450]);
      }
      const again = await hubFetch(hub.url, token, `/cases/${seeded.id}`, { headers: { 'if-none-match': '"1"' } });
      expect(again.status).toBe(304);
    }
  });

  it('resumes an interrupted image download with Range and If-Range: the joined bytes are the original', async () => {
    hub = await startTestHub({ cases: 1 });
    const token = await hub.login();
    await claimAll(hub, token);
    const img = hub.cases[0]!.images[0]!;
    const path = `/images/${img.sha256}`;
    const full = await hubFetch(hub.url, token, path);
    expect(full.status).toBe(200);
    expect(full.headers.get('etag')).toBe(`"${img.sha256}"`);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    const original = Buffer.from(await full.arrayBuffer());
    expect(createHash('sha256').update(original).digest('hex')).toBe(img.sha256);

    const head = await hubFetch(hub.url, token, path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(img.bytes));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const half = Math.floor(img.bytes / 2);
    const first = await hubFetch(hub.url, token, path, { headers: { range: `bytes=0-${half - 1}` } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-${half - 1}/${img.bytes}`);
    const firstHalf = Buffer.from(await first.arrayBuffer());
    const rest = await hubFetch(hub.url, token, path, {
      headers: { range: `bytes=${half}-`, 'if-range': `"${img.sha256}"` },
    });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${half}-${img.bytes - 1}/${img.bytes}`);
    const joined = Buffer.concat([firstHalf, Buffer.from(await rest.arrayBuffer())]);
    expect(joined.equals(original)).toBe(true);

    // A validator that does not match means "the resource changed": the whole body, 200.
    const stale = await hubFetch(hub.url, token, path, { headers: { range: `bytes=${half}-`, 'if-range': '"0000"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(original)).toBe(true);
    // Several ranges are not offered: the whole body.
    expect((await hubFetch(hub.url, token, path, { headers: { range: 'bytes=0-1,4-5' } })).status).toBe(200);
    expect((await hubFetch(hub.url, token, path, { headers: { 'if-none-match': `"${img.sha256}"` } })).status).toBe(
      304,
    );
    for (const range of [`bytes=${img.bytes}-`, `bytes=${img.bytes + 10}-${img.bytes + 20}`, 'bytes=-0']) {
      const bad = await hubFetch(hub.url, token, path, { headers: { range } });
      expect(bad.status, range).toBe(416);
      expect(bad.headers.get('content-range')).toBe(`bytes */${img.bytes}`);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('range-not-satisfiable');
    }
  });
});

describe('changes feed', () => {
  it('reports withdrawn, updated and reassigned cases to their holder, after a cursor', async () => {
    hub = await startTestHub({ cases: 4 });
    const token = await hub.login();
    const other = await hub.addConsultant();
    const otherToken = await hub.login(other);
    const [a, b, c] = (await claimAll(hub, token)).cases;
    const empty = changesResponseSchema.parse(await (await hubFetch(hub.url, token, '/changes')).json());
    expect(empty).toEqual({ cursor: 0, changes: [] });

    await hub.withdraw(a!.id);
    await hub.update(b!.id, 'The GP adds: it bled last week.');
    const page1 = changesResponseSchema.parse(await (await hubFetch(hub.url, token, '/changes?after=0')).json());
    expect(page1.changes.map((x) => [x.caseId, x.kind, x.version])).toEqual([
      [a!.id, 'withdrawn', 2],
      [b!.id, 'updated', 2],
    ]);
    expect(page1.cursor).toBe(page1.changes[1]!.seq);

    await hub.reassign(c!.id, other.id);
    const page2 = changesResponseSchema.parse(
      await (await hubFetch(hub.url, token, `/changes?after=${page1.cursor}`)).json(),
    );
    expect(page2.changes.map((x) => [x.caseId, x.kind])).toEqual([[c!.id, 'reassigned']]);
    const page3 = changesResponseSchema.parse(
      await (await hubFetch(hub.url, token, `/changes?after=${page2.cursor}`)).json(),
    );
    expect(page3).toEqual({ cursor: page2.cursor, changes: [] });
    // The new holder is not told about the others' cases, and now sees the reassigned one.
    expect(changesResponseSchema.parse(await (await hubFetch(hub.url, otherToken, '/changes')).json()).changes).toEqual(
      [],
    );
    expect((await hubFetch(hub.url, otherToken, `/cases/${c!.id}`)).status).toBe(200);

    // The updated case now has version 2 (ETag) and the new history; the others answer 409 with a reason.
    const updated = await hubFetch(hub.url, token, `/cases/${b!.id}`);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(caseResponseSchema.parse(await updated.json()).referral.history).toBe('The GP adds: it bled last week.');
    const withdrawn = await hubFetch(hub.url, token, `/cases/${a!.id}`);
    expect(withdrawn.status).toBe(409);
    expect(((await withdrawn.json()) as { error: { code: string } }).error.code).toBe('case-withdrawn');
    const reassigned = await hubFetch(hub.url, token, `/cases/${c!.id}`);
    expect(((await reassigned.json()) as { error: { code: string } }).error.code).toBe('case-reassigned');
    expect(
      (await hubFetch(hub.url, token, `/images/${hub.cases.find((x) => x.id === c!.id)!.images[0]!.sha256}`)).status,
    ).toBe(404);

    for (const after of ['-1', 'abc', '1e3', '99999999999999999999']) {
      expect((await hubFetch(hub.url, token, `/changes?after=${after}`)).status).toBe(400);
    }
  });
});
