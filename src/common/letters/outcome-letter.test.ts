import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pdfTextOf } from '../../../tests/support/pdf-text';
import { sampleCase, sampleDischarge } from '../../../tests/support/sample-case';
import { emptyDoc } from '../../shared/domain/viewer/annotations';
import { keyImage } from './key-image';
import { letterContent } from './letter-content';
import { renderLetterPdf } from './outcome-letter';
import { fixturePath } from '../../../tests/support/fixtures';

const fixture = fixturePath('dermoscopy', 'ISIC_0024338.jpg');

/** The letter as a PDF reader sees it: each PRSB heading and its text read back with pdf.js. */
describe('the outcome letter PDF', () => {
  it('prints the letterhead, date, references, salutation, patient block, headings and signature', async () => {
    const record = sampleCase();
    const decision = {
      ...sampleDischarge({
        diagnosis: { snomedCode: '442348004', label: 'Inflamed seborrhoeic keratosis' },
        plan: {
          ...sampleDischarge().plan,
          leaflets: [{ title: 'Seborrhoeic keratoses', url: 'https://www.skinhealthinfo.org.uk/condition/sk/' }],
        },
      }),
      id: '00000000-0000-4000-8000-000000000001',
      caseId: record.id,
      caseVersion: 1,
      version: 1,
      supersedes: null,
      signedBy: { id: 'c-1', displayName: 'Dr Grace Hopper' },
      signedAt: '2026-11-26T10:00:00.000Z',
    };
    const content = letterContent(record, decision, {
      hub: { registeredName: 'Dr Grace Hopper', gmcNumber: '7654321', receivedByHubAt: '2026-11-26T10:00:20.000Z' },
    });
    const image = await keyImage(
      { images: [{ ...imageEntry(), sha256: 'a'.repeat(64) }] },
      {
        marksOf: () => ({
          ...emptyDoc(),
          shapes: [{ id: 's', kind: 'ellipse', color: '#ffd400', center: { x: 300, y: 220 }, rx: 80, ry: 60 }],
        }),
        original: async () => readFileSync(fixture),
      },
    );
    const { text, images } = await pdfTextOf(await renderLetterPdf(content, image));
    const inOrder = [
      'Teledermatology Service (DermDesk demo)',
      'Telephone: 0113 496 0000',
      'Dr Priya Shah Riverside Medical Practice ODS B82005',
      'Date: 26/11/2026',
      'Our reference: DD-',
      'Your referral of 20/11/2026 (routine)',
      'Dear Dr Priya Shah',
      'Teledermatology outcome',
      'Name: Ada LOVELACE Date of birth: 14/03/1961 NHS number:',
      'Diagnosis Inflamed seborrhoeic keratosis (SNOMED CT 442348004)',
      'Outcome and what happens next Discharge with advice and treatment plan to the GP',
      'Actions for the GP Follow the management plan in this letter. First-line treatment: Reassure',
      'Actions for the patient Safety-netting advice for the patient: See your GP',
      'Information given: patient information leaflets (British Association of Dermatologists)',
      "Key image dermoscopy image, with the consultant's marks",
      'Dr Grace Hopper Consultant Dermatologist, GMC 7654321 Signed 26/11/2026 10:00',
    ];
    let from = 0;
    for (const part of inOrder) {
      const at = text.indexOf(part, from);
      expect(at, `"${part}" after position ${from} in: ${text}`).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
    expect(images).toBe(1);
  });
});

function imageEntry() {
  return {
    id: '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e6f',
    sha256: '',
    bytes: 1,
    mediaType: 'image/jpeg' as const,
    width: 600,
    height: 450,
    kind: 'dermoscopy' as const,
  };
}
