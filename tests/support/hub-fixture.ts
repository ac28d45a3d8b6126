import { readFileSync } from 'node:fs';
import type { NewCaseInput } from '../../src/hub/admin/hub-admin';
import { startHub, type RunningHub, type StartHubOptions } from '../../src/hub/start-hub';
import type { CaseRecord, ReferralPriority } from '../../src/shared/domain/case';
import { HUB_API_PREFIX, loginResponseSchema } from '../../src/shared/hub-api/consultant-api';
import { dermoscopyFixtures } from './fixtures';
import { sampleNhsNumber } from './sample-case';
import { makeTempDir } from './temp-dir';
import { TEST_CLOCK_START } from './test-clock';

/**
 * A real referral hub on loopback in a temp data dir, driven through the hub's own operator API
 * (HubAdmin: the same repository and object store the HTTP routes use, no test doubles).
 */
export interface TestConsultant {
  id: string;
  username: string;
  password: string;
  displayName: string;
}

export interface TestHub {
  url: string;
  dataDir: string;
  hub: RunningHub;
  consultant: TestConsultant;
  /** The seeded cases as the hub stored them (version 1, real image manifests). */
  cases: CaseRecord[];
  addConsultant(name?: string): Promise<TestConsultant>;
  /** Signs in over HTTP; returns the bearer token. */
  login(who?: { username: string; password: string }): Promise<string>;
  addCases(count: number): Promise<CaseRecord[]>;
  /** Referrer withdraws the case (version + 1; 'withdrawn' in the holder's changes feed). */
  withdraw(caseId: string): Promise<CaseRecord>;
  /** Referrer adds information (version + 1; 'updated' in the holder's feed). */
  update(caseId: string, history?: string): Promise<CaseRecord>;
  /** Operator moves the case to another consultant or the pool ('reassigned' in the old holder's feed). */
  reassign(caseId: string, toConsultantId: string | null): Promise<void>;
  /** Stops the hub (the data dir stays) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the hub and removes its data dir. */
  close(): Promise<void>;
}

export type TestHubOptions = Omit<StartHubOptions, 'dataDir' | 'demo'> & { cases?: number };

const priorities: ReferralPriority[] = ['routine', 'urgent', 'suspected-cancer'];
let consultantCounter = 0;

/** A realistic referral with 1-3 real dermoscopy images, varied by `i`. */
export function testCaseInput(i: number, receivedAt: string): NewCaseInput {
  const files = dermoscopyFixtures();
  const count = 1 + (i % 3);
  const images = Array.from({ length: count }, (_, k) => ({
    bytes: readFileSync(files[(i + k) % files.length] as string),
    kind: (['dermoscopy', 'close-up', 'overview'] as const)[k % 3] ?? 'dermoscopy',
  }));
  return {
    patient: {
      nhsNumber: sampleNhsNumber(7000 + i * 13),
      givenName: ['Ada', 'Grace', 'Alan', 'Mary', 'Tim'][i % 5] ?? 'Ada',
      familyName: ['Lovelace', 'Hopper', 'Turing', 'Somerville', 'Berners-Lee'][i % 5] ?? 'Lovelace',
      dateOfBirth: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      sex: i % 2 === 0 ? 'female' : 'male',
    },
    practice: { odsCode: 'B82005', name: 'Riverside Medical Practice', clinician: 'Dr Priya Shah' },
    referral: {
      priority: priorities[i % 3] ?? 'routine',
      receivedAt,
      presentingComplaint: `Pigmented lesion ${i + 1}, recently changed`,
      duration: `${2 + (i % 10)} months`,
      evolution: 'Darker and larger over 3 months',
      site: { region: 'left-forearm-posterior', description: 'Posterior left forearm, mid third' },
      symptoms: 'Occasional itch',
      history: 'No previous skin cancer',
      medication: 'None',
      allergies: 'None known',
      riskFactors: ['fair skin'],
      consent: { given: true, recordedAt: receivedAt, recordedBy: 'Dr Priya Shah' },
    },
    images,
  };
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dir = makeTempDir('dermdesk-hub-');
  const { cases: caseCount = 0, ...hubOptions } = options;
  const now = hubOptions.now ?? (() => new Date());
  let hub = await startHub({ ...hubOptions, dataDir: dir.path });
  const port = Number(new URL(hub.url).port);
  let running = true;
  let caseIndex = 0;

  const addConsultant = async (name?: string): Promise<TestConsultant> => {
    consultantCounter += 1;
    const username = name ?? `consultant${consultantCounter}-${process.pid}`;
    const password = `pw-${username}-correct-horse`;
    const user = await hub.admin.createUser({ username, password, displayName: `Dr ${username}` });
    return { id: user.id, username, password, displayName: user.displayName };
  };
  const addCases = async (count: number): Promise<CaseRecord[]> => {
    const added: CaseRecord[] = [];
    for (let k = 0; k < count; k++) {
      const i = caseIndex++;
      // Received over the last few days, oldest first, so due dates differ.
      const receivedAt = new Date(now().getTime() - (count - k) * 3_600_000 * 5).toISOString();
      added.push(await hub.admin.addCase(testCaseInput(i, receivedAt)));
    }
    return added;
  };

  const consultant = await addConsultant();
  const cases = await addCases(caseCount);

  const testHub: TestHub = {
    get url() {
      return hub.url;
    },
    dataDir: dir.path,
    get hub() {
      return hub;
    },
    consultant,
    cases,
    addConsultant,
    addCases,
    async login(who = consultant) {
      const res = await fetch(`${hub.url}${HUB_API_PREFIX}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: who.username, password: who.password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return loginResponseSchema.parse(await res.json()).token;
    },
    withdraw: (caseId) => hub.admin.withdrawCase(caseId),
    update: (caseId, history = 'Update from the GP: the lesion bled last week.') =>
      hub.admin.updateCase(caseId, { referral: { history } }),
    async reassign(caseId, to) {
      await hub.admin.reassignCase(caseId, to);
    },
    async stop() {
      if (!running) return;
      running = false;
      await hub.close();
      // Let in-process clients (fetch's keep-alive pool) see their sockets closed before the next
      // request, as they would across processes; otherwise one may write into a dead socket.
      await new Promise((resolve) => setTimeout(resolve, 25));
    },
    async restart() {
      await testHub.stop();
      hub = await startHub({ ...hubOptions, dataDir: dir.path, port });
      running = true;
    },
    async close() {
      await testHub.stop();
      dir.remove();
    },
  };
  return testHub;
}

/** fetch against the hub's API with a bearer token; JSON bodies are serialised. */
export async function hubFetch(
  baseUrl: string,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  return fetch(`${baseUrl}${path.startsWith('/openapi') ? '' : HUB_API_PREFIX}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

/**
 * A clock the test moves by hand (lease and token expiry without waiting). It starts at the tests'
 * fixed instant, not today, so nothing it stamps depends on the day the suite runs.
 */
export function manualClock(start = new Date(TEST_CLOCK_START)): {
  now: () => Date;
  advanceMinutes(minutes: number): void;
} {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advanceMinutes(minutes: number) {
      t += minutes * 60_000;
    },
  };
}
