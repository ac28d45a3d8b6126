import { readFileSync } from 'node:fs';
import { demoCaseId, demoNhsNumber, DEMO_PASSWORD, DEMO_USERNAME } from '../../src/hub/demo/seed-demo';
import { demoReferrals } from '../../src/hub/demo/demo-referrals';
import { DEMO_PRACTICE } from '../../src/hub/practice/seed-doors-demo';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import type { ImageKind, ReferralPriority } from '../../src/shared/domain/case';
import { dermoscopyFixtures } from '../support/fixtures';
import { practiceAnswers } from '../support/practice-answer';
import { sampleCase, sampleNhsNumber } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { daysBeforeTestStart, testClock } from '../support/test-clock';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { SyncPage } from './pages/sync-page';
import { readCache } from './pages/triage-data';
import { ViewerPage, type ViewerLayoutSample } from './pages/viewer-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * A consultant's day, end to end, against the real hub (demo data plus generated referrals) and
 * the real core: sign in, sync 30 cases in three batches, work through them with filters toggled
 * and searches typed and cleared, ask one practice for more information, compare with a prior
 * case, lock and unlock in the middle of a case, lose the hub and get it back, receive the
 * practice's answer, leave a case open for two minutes, and sign 20 decisions, each of which
 * reaches the hub exactly once. Each step prints how long it took; the test asserts on states
 * only (never on time), waiting for them with expect / expect.poll.
 */
const IDLE_MS = 120_000;
// Made in beforeAll: a module-level temp dir would also be made (and left) by the runner's own load.
let hubDir: ReturnType<typeof makeTempDir> | null = null;
// One clock for the hub across its restart, on the tests' fixed Monday (as the app's).
const hubClock = testClock();
let hub: RunningHub | null = null;
let hubPort = 0;

interface Generated {
  id: string;
  nhs: string;
  family: string;
  priority: ReferralPriority;
}
const generated: Generated[] = [];

const FAMILIES = [
  'Quill', // asked for more information
  'Hodgkin', // seen before: the earlier case ...
  'Hodgkin', // ... and today's, compared with it
  'Abara',
  'Brennan',
  'Castillo',
  'Dunmore',
  'Egerton',
  'Fairweather',
  'Gallagher',
  'Hartley',
  'Iqbal',
  'Jennings',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okonjo',
];

async function startDayHub(): Promise<RunningHub> {
  return startHub({
    dataDir: (hubDir ??= makeTempDir('dermdesk-e2e-day-hub-')).path,
    port: hubPort,
    demo: true,
    now: hubClock,
    loginLimits: { perUser: 1000, perIp: 1000, windowMinutes: 1 },
  });
}

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The day runs on the host target with a hub beside it.');
  // The demo seeds 24-48 MP photographs: generous on a shared machine.
  info.setTimeout(300_000);
  hub = await startDayHub();
  hubPort = Number(new URL(hub.url).port);
  const photos = dermoscopyFixtures().map((f) => readFileSync(f));
  const kinds: ImageKind[] = ['dermoscopy', 'close-up'];
  for (const [i, family] of FAMILIES.entries()) {
    // The two Hodgkin referrals are one patient (one NHS number), six days apart.
    const nhs = sampleNhsNumber(family === 'Hodgkin' ? 7700 : 7000 + i * 13);
    const priority: ReferralPriority = i % 6 === 5 ? 'urgent' : 'routine';
    const base = sampleCase();
    const record = await hub.admin.addCase({
      patient: { ...base.patient, nhsNumber: nhs, familyName: family, givenName: `Pat${i}` },
      practice: base.practice,
      referral: {
        ...base.referral,
        priority,
        receivedAt: daysBeforeTestStart(i === 1 ? 6 : i % 5),
        consent: { given: true, recordedAt: daysBeforeTestStart(7), recordedBy: 'Dr Priya Shah' },
      },
      images: [0, 1].map((k) => ({ bytes: photos[(i + k) % photos.length] as Buffer, kind: kinds[k] as ImageKind })),
    });
    generated.push({ id: record.id, nhs, family, priority });
  }
});
test.afterAll(async () => {
  await hub?.close();
  hubDir?.remove();
});

/** Runs one step of the day and prints how long it took (printed, never asserted). */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await run();
  console.log(`[day] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

test('a consultant works through a day of referrals', async ({ app }) => {
  test.setTimeout(15 * 60_000);
  const page = app.page;
  const sync = new SyncPage(page);
  const worklist = new WorklistPage(page);
  const view = new CasePage(page);
  const viewer = new ViewerPage(page);
  const signedIds = new Set<string>();
  const running = (): RunningHub => {
    if (!hub) throw new Error('the hub is stopped');
    return hub;
  };

  const casesIn = async (filter: string): Promise<number> => {
    await worklist.filter(filter).click();
    await expect(worklist.filter(filter)).toHaveAttribute('aria-pressed', 'true');
    await expect(worklist.count).toHaveText(/^\d+ cases?$/);
    await expect(page.getByText('Loading cases…')).toHaveCount(0);
    return Number((await worklist.count.textContent())?.split(' ')[0]);
  };
  const syncNow = async (): Promise<void> => {
    await sync.syncButton.click();
    await expect(sync.syncState).toHaveText('Synced', { timeout: 120_000 });
    await expect(sync.syncButton).toHaveText(/Sync now/);
  };
  /** Finds a case by NHS number in "All" (as a consultant types it) and opens it. */
  const open = async (c: { id: string; nhs: string; family: string }): Promise<void> => {
    await worklist.search.fill(c.nhs);
    await expect(worklist.count).toHaveText(/^[12] cases?$/);
    const found = await worklist.count.textContent();
    await worklist.row(c.id).click();
    await expect(view.view).toContainText(c.family.toUpperCase());
    await worklist.search.fill('');
    await expect(worklist.count).not.toHaveText(found ?? '');
  };
  /** Signs the open case with the keyboard: the outcome's key, Ctrl+Enter, Enter. */
  const sign = async (caseId: string, priority: ReferralPriority): Promise<void> => {
    await expect(view.decisionForm).toBeVisible();
    await page.locator('#case-pane').focus();
    if (priority === 'routine') {
      await page.keyboard.press('d');
      await page.keyboard.press('t');
      await page.keyboard.press('s');
      await page.keyboard.press('k');
      await expect(view.diagnosisOptions.first()).toContainText('Seborrhoeic keratosis');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('diagnosis-chosen')).toContainText('Seborrhoeic keratosis');
    } else {
      await page.keyboard.press(priority === 'urgent' ? 'u' : 'c');
    }
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Enter');
    await expect(view.signed).toBeVisible();
    signedIds.add(caseId);
  };
  const demo = demoReferrals.map((r, i) => ({
    id: demoCaseId(i),
    nhs: demoNhsNumber(i),
    family: r.familyName,
    priority: r.priority,
    consent: r.consent,
  }));
  const decidable = demo.filter((d) => d.consent);
  const [quill, _hodgkinEarlier, hodgkinToday, ...others] = generated as [
    Generated,
    Generated,
    Generated,
    ...Generated[],
  ];

  await step('sign in', async () => {
    await sync.signIn(running().url, DEMO_USERNAME, DEMO_PASSWORD);
    await expect(sync.consultant).toHaveText('Dr Demo Consultant');
  });

  await step('sync 30 cases in three batches of 10', async () => {
    for (const expected of [10, 20, 30]) {
      await syncNow();
      await expect.poll(() => casesIn('All'), { timeout: 60_000 }).toBe(expected);
    }
  });

  const triage = await step('filters toggled back and forth, searches typed and cleared', async () => {
    const toTriage = await casesIn('To triage');
    expect(toTriage).toBe(30);
    const overdue = await casesIn('Overdue');
    expect(overdue).toBeGreaterThan(0);
    expect(overdue).toBeLessThan(30);
    for (let round = 0; round < 3; round++) {
      expect(await casesIn('To triage')).toBe(toTriage);
      expect(await casesIn('Overdue')).toBe(overdue);
      expect(await casesIn('Suspected cancer')).toBe(demo.filter((d) => d.priority === 'suspected-cancer').length);
    }
    expect(await casesIn('All')).toBe(30);
    for (const term of ['Hodgkin', 'hodg', quill.nhs, 'pigmented']) {
      await worklist.search.fill(term);
      await expect(worklist.count).not.toHaveText('30 cases');
      await expect(worklist.rows.first()).toBeVisible();
      await worklist.search.fill('');
      await expect(worklist.count).toHaveText('30 cases');
    }
    await worklist.search.fill('Hodgkin');
    await expect(worklist.count).toHaveText('2 cases');
    await worklist.search.fill('');
    return toTriage;
  });

  await step('ask the practice for more information', async () => {
    await open(quill);
    await page.locator('#case-pane').focus();
    await page.keyboard.press('m');
    await page.getByLabel('Dermoscopy image').check();
    await page.getByLabel('Exactly what the referrer should send').fill('Please add a dermoscopy image.');
    await view.signButton.click();
    await view.confirmSign.click();
    await expect(view.signed).toContainText('More information or better images needed');
    signedIds.add(quill.id);
  });

  await step('sign 7 decisions', async () => {
    for (const d of decidable.slice(0, 7)) {
      await open(d);
      await sign(d.id, d.priority);
    }
  });

  await step('sync: the outbox delivers', async () => {
    await syncNow();
    await expect(sync.syncState).toHaveText('Synced');
    await expect.poll(() => casesIn('Awaiting sync')).toBe(0);
    await casesIn('All');
  });

  await step('compare with a prior case of the same patient', async () => {
    await open(hodgkinToday);
    await viewer.waitSharp();
    const prior = page.getByTestId('prior-case');
    await expect(prior).toHaveCount(1);
    await prior.getByRole('button', { name: 'Compare with today’s images' }).click();
    await expect(page.getByTestId('viewer-stage')).toHaveCount(2);
    await expect(page.getByTestId('image-viewer').nth(1)).toContainText('Earlier');
    await expect(page.getByTestId('prior-outcome')).toContainText(
      `Earlier case received ${daysBeforeTestStart(6).slice(0, 10)}`,
    );
    await page.getByRole('button', { name: 'Stop comparing' }).click();
    await expect(page.getByTestId('viewer-stage')).toHaveCount(1);
    await sign(hodgkinToday.id, hodgkinToday.priority);
  });

  await step('lock and unlock in the middle of a case', async () => {
    const [d] = decidable.slice(7, 8) as [(typeof decidable)[number]];
    await open(d);
    await page.locator('#case-pane').focus();
    await page.keyboard.press('x'); // an outcome chosen, not yet signed: a draft
    await expect(view.outcome('Unable to assess remotely: see face to face')).toBeChecked();
    await expect(view.saveState).toContainText('Draft saved');
    await page.keyboard.press('Control+l');
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    expect(await page.content()).not.toContain(d.family.toUpperCase());
    await page.getByLabel('Your password').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lock-screen')).toBeHidden();
    // Back where it was: the same case, the draft's outcome still chosen.
    await expect(view.view).toContainText(d.family.toUpperCase());
    await expect(view.outcome('Unable to assess remotely: see face to face')).toBeChecked();
    await page.locator('#case-pane').focus();
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Enter');
    await expect(view.signed).toContainText('Unable to assess remotely');
    signedIds.add(d.id);
  });

  await step('the hub stops: decisions are signed offline', async () => {
    // The outbox worker sends what was signed since the last sync by itself.
    await expect.poll(() => casesIn('Awaiting sync'), { timeout: 60_000 }).toBe(0);
    await casesIn('All');
    await running().close();
    hub = null;
    for (const d of decidable.slice(8, 11)) {
      await open(d);
      await sign(d.id, d.priority);
    }
    await sync.syncButton.click();
    await expect(sync.syncState).toContainText('Offline', { timeout: 60_000 });
    expect(await casesIn('Awaiting sync')).toBe(3);
    await casesIn('All');
  });

  await step('the hub is back: the outbox delivers, the practice answers', async () => {
    hub = await startDayHub();
    const answer = await practiceAnswers(running().url, DEMO_PRACTICE, quill.id, 'Dermoscopy attached.', [
      readFileSync(dermoscopyFixtures()[3]!),
    ]);
    expect(answer.status).toBe(200);
    await syncNow();
    await expect.poll(() => casesIn('Awaiting sync')).toBe(0);
    // Back to triage, marked (found by its NHS number: the list only renders the rows in view).
    await casesIn('To triage');
    await worklist.search.fill(quill.nhs);
    await expect(worklist.count).toHaveText('1 case');
    await expect(worklist.row(quill.id).getByTestId('row-answer')).toHaveText('Answer from the practice');
    await worklist.search.fill('');
  });

  await step('a case left open for two minutes does not change by itself', async () => {
    await casesIn('All');
    const idle = others[0] as Generated;
    await open(idle);
    await expect(page.getByTestId('image-thumb')).toHaveCount(2);
    for (const thumb of await page.getByTestId('image-thumb').all())
      await expect(thumb).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await viewer.waitSharp();
    // The deliberate idle: sampled every 5 s, nothing pressed.
    const samples: ViewerLayoutSample[] = await viewer.sampleLayout(IDLE_MS, 5_000);
    expect(samples.length).toBeGreaterThanOrEqual(IDLE_MS / 5_000 - 2);
    const first = samples[0] as ViewerLayoutSample;
    expect(first.stage?.height ?? 0).toBeGreaterThan(200);
    const moved = samples.filter(
      (s) =>
        JSON.stringify([s.workspace, s.stage, s.scrollHeight, s.paneScrollHeight]) !==
        JSON.stringify([first.workspace, first.stage, first.scrollHeight, first.paneScrollHeight]),
    );
    expect(moved, `the layout moved by itself: first ${JSON.stringify(first)}`).toEqual([]);
    expect(samples.every((s) => s.previewDrawn)).toBe(true);
    await sign(idle.id, idle.priority);
  });

  await step("decide again on the practice's answer", async () => {
    await open(quill);
    await expect(page.getByTestId('answer-note')).toHaveText('Dermoscopy attached.');
    await expect(page.getByTestId('image-new')).toHaveCount(1);
    await sign(quill.id, 'routine');
    await expect(view.signed).toContainText('amendment, version 2');
  });

  await step('sign the rest of the 20 decisions', async () => {
    for (const g of others.slice(1, 6)) {
      await open(g);
      await sign(g.id, g.priority);
    }
    await syncNow();
    await expect.poll(() => casesIn('Awaiting sync')).toBe(0);
  });

  await step('at the hub: all 20 decisions arrived, each exactly once', async () => {
    const local = readCache(app, (db) =>
      db.prepare('SELECT id, sync_state FROM decisions ORDER BY signed_at').all(),
    ) as Array<{ id: string; sync_state: string }>;
    expect(local).toHaveLength(20);
    expect(local.every((d) => d.sync_state === 'synced')).toBe(true);
    const atHub = (
      await Promise.all([...demo, ...generated].map((c) => running().admin.decisionsForCase(c.id)))
    ).flat();
    expect(atHub).toHaveLength(20);
    expect(new Set(atHub.map((d) => d.decision.id))).toEqual(new Set(local.map((d) => d.id)));
    expect(new Set(atHub.map((d) => d.decision.caseId)).size).toBe(19); // Quill was decided twice
    expect(signedIds.size).toBe(19);
    expect(await casesIn('To triage')).toBe(triage - 19);
  });
});
