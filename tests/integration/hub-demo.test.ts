import { afterAll, afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import { isValidNhsNumber } from '../../src/shared/domain/nhs-number';
import { dueDate, isOverdue } from '../../src/shared/domain/working-days';
import { caseResponseSchema, claimResponseSchema } from '../../src/shared/hub-api/consultant-api';
import { demoCaseId } from '../../src/hub/demo/seed-demo';
import { hubFetch } from '../support/hub-fixture';
import { makeTempDir } from '../support/temp-dir';
import { testClock } from '../support/test-clock';

const dir = makeTempDir('dermdesk-hub-demo-');
let hub: RunningHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});
afterAll(() => dir.remove());

describe('demo seeding', () => {
  it(
    'seeds a consultant and realistic referrals with real and 24-48 MP images, once per data dir',
    { timeout: 240_000 },
    async () => {
      const lines: string[] = [];
      // The demo's referrals are stamped "hours ago" by the hub's clock; which are overdue depends on
      // the weekday and bank holidays, so the hub runs on the tests' fixed Monday.
      const clock = testClock();
      hub = await startHub({ dataDir: dir.path, demo: true, now: clock, onProgress: (l) => lines.push(l) });
      expect(hub.demoCredentials).not.toBeNull();
      expect(lines.some((l) => /photograph 1\/\d+/.test(l))).toBe(true);
      const login = await hubFetch(hub.url, null, '/auth/login', { body: hub.demoCredentials });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const claimed = claimResponseSchema.parse(
        await (await hubFetch(hub.url, token, '/batches/claim', { body: { count: 100 } })).json(),
      );
      expect(claimed.cases.length).toBeGreaterThanOrEqual(10);
      expect(claimed.cases.length).toBeLessThanOrEqual(15);

      const records = await Promise.all(
        claimed.cases.map(async (c) =>
          caseResponseSchema.parse(await (await hubFetch(hub!.url, token, `/cases/${c.id}`)).json()),
        ),
      );
      expect(new Set(records.map((r) => r.referral.priority))).toEqual(
        new Set(['routine', 'urgent', 'suspected-cancer']),
      );
      expect(records.every((r) => isValidNhsNumber(r.patient.nhsNumber))).toBe(true);
      expect(records.filter((r) => r.referral.consent === null)).toHaveLength(1);
      const overdue = records.filter((r) => isOverdue(dueDate(r.referral.receivedAt), clock()));
      expect(overdue.length).toBeGreaterThan(0);
      expect(overdue.length).toBeLessThan(records.length);
      const received = records.map((r) => Date.parse(r.referral.receivedAt));
      expect(Math.max(...received) - Math.min(...received)).toBeGreaterThan(4 * 86_400_000);
      expect(records.every((r) => r.images.length > 0)).toBe(true);
      // One patient was seen before: her earlier, decided case travels with today's referral.
      const withHistory = records.filter((r) => (r.earlierCases ?? []).length > 0);
      expect(withHistory.map((r) => r.id)).toEqual([demoCaseId(0)]);
      expect(withHistory[0]?.earlierCases?.[0]).toMatchObject({
        id: demoCaseId(1000),
        decision: { outcome: 'discharge', signedBy: { displayName: 'Dr Rachel Adeyemi' } },
      });
      const earlierImage = withHistory[0]?.earlierCases?.[0]?.images[0]?.sha256 ?? '';
      expect((await hubFetch(hub.url, token, `/images/${earlierImage}`)).status).toBe(200);

      // Download every distinct large image and check its real size and orientation.
      const large = new Map(
        records
          .flatMap((r) => r.images)
          .filter((i) => i.width * i.height > 5e6)
          .map((i) => [i.sha256, i]),
      );
      expect(large.size).toBeGreaterThanOrEqual(2);
      let rotated = 0;
      for (const img of large.values()) {
        const bytes = Buffer.from(await (await hubFetch(hub.url, token, `/images/${img.sha256}`)).arrayBuffer());
        expect(bytes.length).toBe(img.bytes);
        const meta = await sharp(bytes, { limitInputPixels: 1e8 }).metadata();
        const mp = (meta.width * meta.height) / 1e6;
        expect(mp).toBeGreaterThanOrEqual(24);
        expect(mp).toBeLessThanOrEqual(48);
        expect([meta.autoOrient.width, meta.autoOrient.height]).toEqual([img.width, img.height]);
        if (meta.orientation === 6) rotated += 1;
      }
      expect(rotated).toBeGreaterThan(0);

      // Starting again with --demo on the same data dir adds nothing.
      await hub.close();
      // On the same clock: leases are 24 h, and a hub on the real date would find them lapsed.
      hub = await startHub({ dataDir: dir.path, demo: true, now: clock });
      const again = await hubFetch(hub.url, null, '/auth/login', { body: hub.demoCredentials });
      const token2 = ((await again.json()) as { token: string }).token;
      const assigned = (await (await hubFetch(hub.url, token2, '/assigned')).json()) as { cases: unknown[] };
      expect(assigned.cases).toHaveLength(claimed.cases.length);
      expect(
        claimResponseSchema.parse(
          await (await hubFetch(hub.url, token2, '/batches/claim', { body: { count: 100 } })).json(),
        ).cases,
      ).toEqual([]);
    },
  );
});
