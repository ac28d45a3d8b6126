import { describe, expect, it } from 'vitest';
import { pdfTextOf } from '../../../tests/support/pdf-text';
import { sampleCase, sampleDischarge } from '../../../tests/support/sample-case';
import type { DecisionContent, SignedDecision } from '../../shared/domain/decision';
import { patientCopyContent, renderPatientCopyPdf } from './patient-copy';

const record = sampleCase({ referral: { priority: 'suspected-cancer' } });
const signed = (content: DecisionContent): SignedDecision => ({
  ...content,
  id: '00000000-0000-4000-8000-000000000001',
  caseId: record.id,
  caseVersion: 1,
  version: 1,
  supersedes: null,
  signedBy: { id: 'c-1', displayName: 'Dr Grace Hopper' },
  signedAt: '2026-11-26T10:00:00.000Z',
});
const downgraded = signed(
  sampleDischarge({
    diagnosis: { snomedCode: '394726009', label: 'Seborrhoeic keratosis' },
    downgradeAdvice: 'Benign appearance; consider downgrading the two-week-wait referral.',
    sevenPointScore: 1,
    plan: {
      ...sampleDischarge().plan,
      leaflets: [{ title: 'Seborrhoeic keratoses', url: 'https://www.skinhealthinfo.org.uk/condition/sk/' }],
    },
  }),
);

describe("the patient's plain-language copy", () => {
  it('says what was decided and what happens next, with the safety net and leaflets', () => {
    const copy = patientCopyContent(record, downgraded);
    expect(copy.title).toBe('Your skin photographs: what happens next');
    expect(copy.salutation).toBe('Dear Ada Lovelace');
    expect(copy.sections.map((s) => s.heading)).toEqual([
      'What the skin specialist decided',
      'What to look out for',
      'Information for you',
      'Questions',
    ]);
    // A suspected-cancer referral advised for downgrade: only the GP may take it off the pathway.
    expect(copy.sections[0]!.lines[0]).toBe(
      'The skin specialist looked at your photographs and has sent advice to your GP practice.',
    );
    expect(copy.sections[1]!.lines).toEqual([
      'See your GP if the lesion changes in size, shape or colour.',
      'If the mark changes, bleeds or you are worried about it before then, contact your GP practice.',
    ]);
  });

  it('never tells the patient the downgrade advice, the diagnosis, the score or the plan for the GP', () => {
    const all = JSON.stringify(patientCopyContent(record, downgraded));
    for (const hidden of [
      'downgrad',
      'two-week-wait',
      'Seborrhoeic keratosis (',
      '394726009',
      'Score',
      'Benign seborrhoeic keratosis.', // advice to the GP
      'Reassure; no treatment needed.', // first-line treatment
      'NHS number',
    ])
      expect(all).not.toContain(hidden);
  });

  it('leaves out the leaflets heading when there are none', () => {
    const copy = patientCopyContent(record, signed(sampleDischarge()));
    expect(copy.sections.map((s) => s.heading)).not.toContain('Information for you');
  });

  it('reads back from the PDF', async () => {
    const { text, images } = await pdfTextOf(await renderPatientCopyPdf(record, downgraded));
    expect(text).toContain('Your skin photographs: what happens next');
    expect(text).toContain('Dear Ada Lovelace');
    expect(text).toContain('What the skin specialist decided The skin specialist looked at your photographs');
    expect(text).toMatch(/quote the reference DD-[0-9A-F]{8}/);
    expect(text).not.toMatch(/downgrad/i);
    expect(images).toBe(0);
  });
});
