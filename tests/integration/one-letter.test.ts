import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { emptyDoc, type AnnotationDoc } from '../../src/shared/domain/viewer/annotations';
import { pdfText, pdfTextOf } from '../support/pdf-text';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, openCore, seedCases, signIn } from './sync-support';

/**
 * One letter: the letter the consultant exports from the workstation and the one the practice
 * downloads from the hub are the same letter (same headings and text, same annotated key image),
 * apart from the hub's attestation in the signature block, under the letterhead the hub is
 * configured with. Real hub on loopback, real workstation
 * core, a real photograph annotated on the workstation and synced to the hub.
 */
let hub: RunningHub;
let core: Core;
let caseId: string;
let clock = new Date('2026-11-30T09:00:00.000Z');
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');
const PRACTICE = { username: 'riverside', password: 'riverside practice battery staple' };

const marks: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [
    { id: 'e1', kind: 'ellipse', color: '#ffd400', center: { x: 300, y: 220 }, rx: 90, ry: 70 },
    { id: 't1', kind: 'text', color: '#ffffff', at: { x: 30, y: 40 }, text: 'biopsy here' },
  ],
};

/** The JPEG embedded in a PDF (pdfkit embeds the key image's bytes as they are, DCTDecode). */
function embeddedJpeg(pdf: Buffer): Buffer {
  const start = pdf.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  expect(start).toBeGreaterThan(0);
  const end = pdf.indexOf(Buffer.from('endstream'), start);
  return pdf.subarray(start, pdf.lastIndexOf(Buffer.from([0xff, 0xd9]), end) + 2);
}

beforeAll(async () => {
  hub = await startHub({
    dataDir: hubDir.path,
    port: 0,
    now: () => clock,
    // The service's own letterhead, configured on the hub only: the workstation takes it at sign-in.
    letterhead: {
      serviceName: 'North Riding Teledermatology',
      organisation: 'North Riding Hospitals NHS Trust',
      address: ['Skin Department', 'Castle Road', 'Northallerton', 'DL6 1AA'],
      telephone: '01609 000000',
      email: '',
    },
    loginLimits: { perUser: 1000, perIp: 1000, windowMinutes: 1 },
  });
  await hub.admin.createUser({ ...CONSULTANT, role: 'consultant', gmcNumber: '7654321' });
  await hub.admin.createPractice({
    ...PRACTICE,
    displayName: 'Dr Priya Shah',
    odsCode: 'B82005',
    practiceName: 'Riverside Medical Practice',
  });
  // Two photographs: an overview and a close-up. The consultant marks the overview, so the
  // letter's key image is the overview with the marks (not the close-up an unmarked case uses).
  [caseId] = (await seedCases(hub, 1, 2)) as [string];
  core = openCore(deskDir.path);
  await signIn(core, hub.url);
  await core.handlers['sync.run']({ claim: 1 });
});
afterAll(async () => {
  core.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

describe('one letter: the practice gets the letter the consultant signed', () => {
  it('same headings, text and annotated key image on both, apart from the hub attestation', async () => {
    const images = (await core.handlers['images.forCase']({ caseId })).images;
    const overview = images.find((i) => i.kind === 'overview')!;
    await core.handlers['annotations.save']({ sha256: overview.sha256, doc: marks, expectedRevision: 0 });
    const consultant = (await core.handlers['sync.status']({})).consultant!;
    const decision = signDecision(
      core.db,
      {
        caseId,
        consultant,
        content: sampleDischarge({
          diagnosis: { snomedCode: '394726009', label: 'Seborrhoeic keratosis' },
          plan: {
            ...sampleDischarge().plan,
            leaflets: [
              {
                title: 'Seborrhoeic keratoses',
                url: 'https://www.skinhealthinfo.org.uk/condition/seborrhoeic-keratoses/',
              },
            ],
          },
        }),
      },
      new Date('2026-11-30T10:00:00.000Z'),
    );
    clock = new Date('2026-11-30T10:02:00.000Z');
    await core.handlers['sync.run']({ claim: 0 });
    expect((await hub.admin.decisionsForCase(caseId)).map((d) => d.decision.id)).toEqual([decision.id]);

    // The consultant's export.
    const exported = await core.handlers['decision.letter']({ decisionId: decision.id });
    const desk = await pdfText(exported.path);
    const deskPdf = readFileSync(exported.path);

    // The practice's download.
    const login = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(PRACTICE),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${decision.id}/letter.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const hubPdf = Buffer.from(await res.arrayBuffer());
    const practice = await pdfTextOf(hubPdf);

    // Everything up to the signature block is the same text, headings included.
    const caption = "overview image, with the consultant's marks";
    const body = (text: string) => text.slice(0, text.indexOf(caption) + caption.length);
    expect(body(desk.text)).toContain(caption);
    expect(body(practice.text)).toBe(body(desk.text));
    for (const heading of [
      'North Riding Teledermatology North Riding Hospitals NHS Trust Skin Department',
      'Telephone: 01609 000000',
      'Dear Dr Priya Shah',
      'Diagnosis Seborrhoeic keratosis (SNOMED CT 394726009)',
      'Outcome and what happens next',
      'Actions for the GP',
      'Actions for the patient',
      'Information given',
      'Key image',
    ])
      expect(body(practice.text)).toContain(heading);

    // The signature block differs only by what the hub attests: GMC number and its receipt time.
    const signature = (text: string) => text.slice(text.indexOf(caption) + caption.length).trim();
    expect(signature(desk.text)).toBe('Dr Sync Test Consultant Dermatologist Signed 30/11/2026');
    expect(signature(practice.text)).toBe(
      'Dr Sync Test Consultant Dermatologist, GMC 7654321 Signed 30/11/2026 10:00 (workstation clock); received by the hub 30/11/2026 10:02',
    );

    // Both carry one image, and it is the same picture: the same bytes, marks burnt in.
    expect(desk.images).toBe(1);
    expect(practice.images).toBe(1);
    expect(embeddedJpeg(hubPdf).equals(embeddedJpeg(deskPdf))).toBe(true);
  });
});
