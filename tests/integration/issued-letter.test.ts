import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyImage } from '../../src/common/letters/key-image';
import type { Letterhead } from '../../src/common/letters/letterhead';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import { FsObjectStore } from '../../src/hub/store/fs-object-store';
import type { ObjectStore } from '../../src/hub/store/object-store';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { emptyDoc, type AnnotationDoc } from '../../src/shared/domain/viewer/annotations';
import { dermoscopyFixtures } from '../support/fixtures';
import { objectFiles } from '../support/object-files';
import { pdfTextOf } from '../support/pdf-text';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, openCore, seedCases, signIn } from './sync-support';

/**
 * An issued outcome letter never changes: the real hub on loopback (restarted on the same data
 * folder with another letterhead, as an operator would), a real workstation core syncing real
 * photographs and marks to it, and the practice downloading from the inbox and the FHIR Binary.
 * The marks the letter shows are the ones the decision was signed with, whatever arrives later.
 */
let hub: RunningHub;
let core: Core;
let caseId: string;
let overview: string;
let port: number;
const clock = { at: new Date('2026-11-30T09:00:00.000Z') };
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');
const PRACTICE = { username: 'riverside', password: 'riverside practice battery staple' };
const FIRST: Letterhead = {
  serviceName: 'North Riding Teledermatology',
  organisation: 'North Riding Hospitals NHS Trust',
  address: ['Skin Department', 'Castle Road', 'Northallerton', 'DL6 1AA'],
  telephone: '01609 000000',
  email: '',
};
const SECOND: Letterhead = { ...FIRST, serviceName: 'Tees Valley Skin Service', telephone: '01642 111111' };

const mark = (x: number, label: string): AnnotationDoc => ({
  ...emptyDoc(),
  shapes: [
    { id: `e-${label}`, kind: 'ellipse', color: '#ffd400', center: { x, y: 220 }, rx: 90, ry: 70 },
    { id: `t-${label}`, kind: 'text', color: '#ffffff', at: { x: 30, y: 40 }, text: label },
  ],
});
const MARKS_A = mark(300, 'biopsy here');
const MARKS_B = mark(120, 'this one instead');
const MARKS_B2 = mark(420, 'signed with these');
const MARKS_C = mark(200, 'drawn after signing');

const originals = new Map(
  dermoscopyFixtures().map((f) => {
    const bytes = readFileSync(f);
    return [createHash('sha256').update(bytes).digest('hex'), bytes] as const;
  }),
);

/** The JPEG embedded in a PDF (pdfkit embeds the key image's bytes as they are, DCTDecode). */
function embeddedJpeg(pdf: Buffer): Buffer {
  const start = pdf.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  expect(start).toBeGreaterThan(0);
  const end = pdf.indexOf(Buffer.from('endstream'), start);
  return pdf.subarray(start, pdf.lastIndexOf(Buffer.from([0xff, 0xd9]), end) + 2);
}

/** The key image the common module draws from the case's photographs with `marks` on the overview. */
async function keyImageWith(marks: AnnotationDoc): Promise<Buffer> {
  const record = (await hub.admin.caseState(caseId))!.record;
  const image = await keyImage(record, {
    marksOf: (sha) => (sha === overview ? marks : null),
    original: async (sha) => originals.get(sha) ?? null,
  });
  return image!.jpeg;
}

type Fault = 'size-eio' | 'size-missing' | 'read-eio' | 'read-truncated';
const eio = (): NodeJS.ErrnoException => Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });

/**
 * The hub's real object store with a fault injector around it: an armed fault hits the next
 * `size` or `read` of one address, once (a transient error, a short read), and `onPut` runs after
 * the next stored PDF is put (to let "another hub process" record its letter first).
 */
class FaultyObjects implements ObjectStore {
  readonly faults = new Map<string, Fault>();
  onPut: ((sha256: string) => void) | null = null;
  private readonly real: FsObjectStore;
  constructor(root: string) {
    this.real = new FsObjectStore(root);
  }
  private take(sha256: string, op: 'size' | 'read'): Fault | null {
    const fault = this.faults.get(sha256);
    if (!fault?.startsWith(op)) return null;
    this.faults.delete(sha256);
    return fault;
  }
  async put(bytes: Buffer) {
    const put = await this.real.put(bytes);
    const hook = this.onPut;
    if (hook && bytes.subarray(0, 5).toString() === '%PDF-') {
      this.onPut = null;
      hook(put.sha256);
    }
    return put;
  }
  putStream(source: Readable, maxBytes: number) {
    return this.real.putStream(source, maxBytes);
  }
  async size(sha256: string) {
    const fault = this.take(sha256, 'size');
    if (fault === 'size-eio') throw eio();
    if (fault === 'size-missing') return null;
    return this.real.size(sha256);
  }
  read(sha256: string, range?: { start: number; end: number }) {
    const fault = this.take(sha256, 'read');
    if (fault === 'read-eio') {
      return new Readable({
        read() {
          this.destroy(eio());
        },
      });
    }
    if (fault === 'read-truncated') {
      const whole = readFileSync(join(hubDir.path, 'objects', sha256.slice(0, 2), sha256));
      return Readable.from([whole.subarray(0, whole.length >> 1)]);
    }
    return this.real.read(sha256, range);
  }
  remove(sha256: string) {
    return this.real.remove(sha256);
  }
  withLocalFile<T>(sha256: string, use: (path: string) => Promise<T>) {
    return this.real.withLocalFile(sha256, use);
  }
  ping() {
    return this.real.ping();
  }
}
let objects: FaultyObjects;

async function start(letterhead: Letterhead, atPort: number): Promise<RunningHub> {
  objects = new FaultyObjects(join(hubDir.path, 'objects'));
  return startHub({
    dataDir: hubDir.path,
    objects,
    port: atPort,
    now: () => clock.at,
    letterhead,
    loginLimits: { perUser: 1000, perIp: 1000, windowMinutes: 1 },
  });
}

async function practiceToken(): Promise<string> {
  const login = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/login`, {
    method: 'POST',
    // No pooled connection: the hub is restarted on the same port in these tests.
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify(PRACTICE),
  });
  expect(login.status).toBe(200);
  return ((await login.json()) as { token: string }).token;
}

async function get(path: string): Promise<Response> {
  return fetch(`${hub.url}${path}`, {
    headers: { authorization: `Bearer ${await practiceToken()}`, connection: 'close' },
  });
}

async function download(path: string): Promise<Buffer> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}
const letter = (decisionId: string) =>
  download(`${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${decisionId}/letter.pdf`);
const patientCopy = (decisionId: string) =>
  download(`${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${decisionId}/patient-copy.pdf`);
const binary = (decisionId: string) => download(`/fhir/r4/Binary/${decisionId}`);

async function saveMarks(doc: AnnotationDoc): Promise<void> {
  const { revision } = await core.handlers['annotations.get']({ sha256: overview });
  await core.handlers['annotations.save']({ sha256: overview, doc, expectedRevision: revision });
}

async function sign(at: string, supersedes: string | null = null): Promise<string> {
  const consultant = (await core.handlers['sync.status']({})).consultant!;
  return signDecision(core.db, { caseId, consultant, content: sampleDischarge(), supersedes }, new Date(at)).id;
}

async function sync(): Promise<void> {
  await core.handlers['sync.run']({ claim: 0 });
  expect((core.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
}

/** The stored letter files in the hub's object store (PDFs beside the photographs). */
function storedPdfs(): string[] {
  return objectFiles(hubDir.path)
    .map((f) => join(hubDir.path, 'objects', f))
    .filter((f) => readFileSync(f).subarray(0, 5).toString() === '%PDF-');
}

beforeAll(async () => {
  hub = await start(FIRST, 0);
  port = Number(new URL(hub.url).port);
  await hub.admin.createUser({ ...CONSULTANT, role: 'consultant', gmcNumber: '7654321' });
  await hub.admin.createPractice({
    ...PRACTICE,
    displayName: 'Dr Priya Shah',
    odsCode: 'B82005',
    practiceName: 'Riverside Medical Practice',
  });
  await hub.admin.setPracticeSettings({ odsCode: 'B82005', mailbox: null, failsafeWorkingDays: 2, patientCopy: true });
  [caseId] = (await seedCases(hub, 1, 2)) as [string];
  // The workstation on the hub's clock: nothing here depends on today's date.
  core = openCore(deskDir.path, undefined, { now: () => clock.at });
  await signIn(core, hub.url);
  await core.handlers['sync.run']({ claim: 1 });
  overview = (await core.handlers['images.forCase']({ caseId })).images.find((i) => i.kind === 'overview')!.sha256;
});
afterAll(async () => {
  core.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

describe('an issued outcome letter never changes after it is signed', () => {
  let first: string;
  let issued: { letter: Buffer; copy: Buffer };

  it('marks redrawn and the letterhead changed after issue: the same bytes, the original key image, from the inbox and the FHIR Binary', async () => {
    await saveMarks(MARKS_A);
    first = await sign('2026-11-30T10:00:00.000Z');
    clock.at = new Date('2026-11-30T10:02:00.000Z');
    await sync();

    const before = await letter(first);
    issued = { letter: before, copy: await patientCopy(first) };
    expect((await binary(first)).equals(before)).toBe(true);
    expect(embeddedJpeg(before).equals(await keyImageWith(MARKS_A))).toBe(true);

    // The consultant redraws the marks (synced: the hub now holds them) and the operator
    // restarts the hub under another letterhead.
    clock.at = new Date('2026-11-30T11:00:00.000Z');
    await saveMarks(MARKS_B);
    await sync();
    await hub.close();
    hub = await start(SECOND, port);

    const after = await letter(first);
    expect(after.equals(before)).toBe(true);
    expect((await binary(first)).equals(before)).toBe(true);
    expect((await patientCopy(first)).equals(issued.copy)).toBe(true);
    const text = (await pdfTextOf(after)).text;
    expect(text).toContain('North Riding Teledermatology');
    expect(text).not.toContain('Tees Valley');
    expect((await pdfTextOf(issued.copy)).text).toContain('North Riding Teledermatology');
    // Rendered once: one stored letter and one patient copy, whatever the downloads.
    expect(storedPdfs()).toHaveLength(2);
  });

  it('a re-triage gets its own letter, with the marks it was signed with, even when they reach the hub after it (an edit after signing folded into the queued save)', async () => {
    // Marks drawn before signing, still queued; then, after signing, drawn over again before the
    // workstation syncs: the outbox sends the amendment first, then only the latest marks.
    await saveMarks(MARKS_B2);
    const second = await sign('2026-11-30T12:00:00.000Z', first);
    await saveMarks(MARKS_C);
    const queued = core.db.prepare('SELECT kind FROM outbox ORDER BY id').all() as { kind: string }[];
    expect(queued.map((r) => r.kind).filter((k) => k !== 'audit')).toEqual(['decision', 'annotations']);
    clock.at = new Date('2026-11-30T12:05:00.000Z');
    await sync();
    // The operator corrects the consultant's GMC number after the hub accepted the amendment and
    // before anyone downloads it: the letter attests what the hub held when it accepted it.
    await hub.admin.setGmcNumber((await hub.admin.findUser(CONSULTANT.username))!.id, '1234567');

    const amended = await letter(second);
    expect((await pdfTextOf(amended)).text).toContain('GMC 7654321');
    expect(amended.equals(issued.letter)).toBe(false);
    expect(embeddedJpeg(amended).equals(await keyImageWith(MARKS_B2))).toBe(true);
    expect(embeddedJpeg(amended).equals(await keyImageWith(MARKS_C))).toBe(false);
    // Issued under the letterhead in force when the hub accepted it.
    expect((await pdfTextOf(amended)).text).toContain('Tees Valley Skin Service');
    expect((await binary(second)).equals(amended)).toBe(true);
    expect((await letter(second)).equals(amended)).toBe(true);
    // The consultant's own export of the amendment shows the same signed marks, not the later ones.
    const exported = await core.handlers['decision.letter']({ decisionId: second });
    expect(embeddedJpeg(readFileSync(exported.path)).equals(embeddedJpeg(amended))).toBe(true);
  });

  it('stored bytes lost or damaged: rendered again from what was fixed at issue, byte for byte, and the repair audited', async () => {
    const second = (await hub.admin.decisionsForCase(caseId)).at(-1)!.decision.id;
    const served = await letter(second);
    const sha = createHash('sha256').update(served).digest('hex');
    const path = storedPdfs().find((f) => f.endsWith(sha))!;
    expect(path).toBeDefined();

    // Lost: the object is gone. The marks changed again meanwhile; the letter does not.
    await saveMarks(MARKS_A);
    await sync();
    rmSync(path);
    expect((await letter(second)).equals(served)).toBe(true);
    expect(readFileSync(path).equals(served)).toBe(true);

    // Damaged: same size, other bytes (a bit flip on disk).
    const damaged = Buffer.from(served);
    const at = damaged.length >> 1;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    writeFileSync(path, damaged);
    expect((await binary(second)).equals(served)).toBe(true);
    expect(readFileSync(path).equals(served)).toBe(true);

    // Truncated to nothing.
    writeFileSync(path, Buffer.alloc(0));
    expect((await letter(second)).equals(served)).toBe(true);

    const repairs = (await hub.admin.doorAuditFor(caseId)).filter((e) => e.action === 'outcome.letter-repaired');
    expect(repairs.map((e) => (e.detail as { damaged: boolean }).damaged)).toEqual([false, true, true]);
  });

  it('a transient read error is answered 5xx and never taken for lost bytes: the stored letter is neither repaired nor replaced', async () => {
    const second = (await hub.admin.decisionsForCase(caseId)).at(-1)!.decision.id;
    const served = await letter(second);
    const sha = createHash('sha256').update(served).digest('hex');
    const path = `${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${second}/letter.pdf`;
    const audited = async () =>
      (await hub.admin.doorAuditFor(caseId)).filter((e) => e.action.startsWith('outcome.letter-repair')).length;
    const before = await audited();
    for (const fault of ['size-eio', 'read-eio'] as const) {
      objects.faults.set(sha, fault);
      expect((await get(path)).status, fault).toBe(500);
    }
    expect(await audited()).toBe(before);
    expect(readFileSync(storedPdfs().find((f) => f.endsWith(sha))!).equals(served)).toBe(true);
    expect((await letter(second)).equals(served)).toBe(true);
  });

  it('a lost letter whose re-rendering differs (its photograph lost too) is not re-issued: 500, audited, the address kept', async () => {
    const second = (await hub.admin.decisionsForCase(caseId)).at(-1)!.decision.id;
    const served = await letter(second);
    const sha = createHash('sha256').update(served).digest('hex');
    rmSync(storedPdfs().find((f) => f.endsWith(sha))!);
    objects.faults.set(overview, 'size-missing');
    const res = await get(`${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${second}/letter.pdf`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'letter-unrecoverable' } });
    const failed = (await hub.admin.doorAuditFor(caseId)).filter((e) => e.action === 'outcome.letter-repair-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({ decisionId: second, copy: 'letter', stored: sha, damaged: false });
    expect(storedPdfs().some((f) => f.endsWith(sha))).toBe(false);
    // The photograph back: the same fixed inputs give the same bytes, put back at the same address.
    expect((await letter(second)).equals(served)).toBe(true);
    expect(storedPdfs().some((f) => f.endsWith(sha))).toBe(true);
  });

  it('a photograph that fails to read or decode at first render fails the request; nothing is recorded and the retry carries the marked key image', async () => {
    await saveMarks(MARKS_B);
    const third = await sign(
      '2026-11-30T14:00:00.000Z',
      (await hub.admin.decisionsForCase(caseId)).at(-1)!.decision.id,
    );
    clock.at = new Date('2026-11-30T14:05:00.000Z');
    await sync();
    const path = `${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${third}/letter.pdf`;
    const pdfs = storedPdfs().length;
    for (const fault of ['size-eio', 'read-eio', 'read-truncated'] as const) {
      objects.faults.set(overview, fault);
      expect((await get(path)).status, fault).toBe(500);
      expect(storedPdfs(), fault).toHaveLength(pdfs);
    }
    expect(embeddedJpeg(await letter(third)).equals(await keyImageWith(MARKS_B))).toBe(true);
  });

  it('another hub process recorded its letter first and its bytes cannot be read: 503, never this request’s own rendering', async () => {
    const fourth = await sign(
      '2026-11-30T15:00:00.000Z',
      (await hub.admin.decisionsForCase(caseId)).at(-1)!.decision.id,
    );
    clock.at = new Date('2026-11-30T15:05:00.000Z');
    await sync();
    const db = new Database(join(hubDir.path, 'hub.sqlite'));
    const record = (sha: string) =>
      db.prepare('UPDATE issued_letters SET letter_sha256 = ? WHERE decision_id = ?').run(sha, fourth);
    let own = '';
    // Between this request's put and its record, "another process" records other bytes.
    objects.onPut = (sha) => {
      own = sha;
      record('e'.repeat(64));
    };
    try {
      const res = await get(`${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${fourth}/letter.pdf`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'letter-unavailable' } });
      // The winner's bytes readable: those are served.
      record(own);
    } finally {
      db.close();
    }
    const served = await letter(fourth);
    expect(createHash('sha256').update(served).digest('hex')).toBe(own);
  });
});
