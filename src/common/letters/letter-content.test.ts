import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../tests/support/sample-case';
import type { DecisionContent, SignedDecision } from '../../shared/domain/decision';
import { letterContent, salutationFor } from './letter-content';
import { DEMO_LETTERHEAD, letterheadFromEnv } from './letterhead';

const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };

function signed(content: DecisionContent, caseId: string): SignedDecision {
  return {
    ...content,
    id: '00000000-0000-4000-8000-000000000001',
    caseId,
    caseVersion: 1,
    version: 1,
    supersedes: null,
    signedBy: consultant,
    signedAt: '2026-11-26T10:00:00.000Z',
  };
}

const emptyPlan: DecisionContent['plan'] = {
  firstLine: '',
  nextSteps: '',
  reReferral: '',
  safetyNetting: '',
  adviceToGp: '',
  leaflets: [],
};
const headings = (c: ReturnType<typeof letterContent>): string[] => c.sections.map((s) => s.heading);
const section = (c: ReturnType<typeof letterContent>, heading: string): string[] | undefined =>
  c.sections.find((s) => s.heading.startsWith(heading))?.lines;

describe('the outcome letter has the PRSB outpatient headings', () => {
  const base = sampleCase({ referral: { priority: 'suspected-cancer' } });
  const record = { ...base, patient: { ...base.patient, address: ['1 Example Street', 'Exampleton', 'EX1 1AA'] } };
  const full = letterContent(
    record,
    signed(
      sampleDischarge({
        outcome: { kind: 'routine-face-to-face', clinic: 'general', subspecialty: null, mode: 'in-person' },
        diagnosis: { snomedCode: '442348004', label: 'Inflamed seborrhoeic keratosis' },
        downgradeAdvice: 'Looks like a seborrhoeic keratosis; consider downgrading.',
        sevenPointScore: 1,
        plan: {
          ...sampleDischarge().plan,
          leaflets: [{ title: 'Seborrhoeic keratoses', url: 'https://www.skinhealthinfo.org.uk/condition/x/' }],
        },
      }),
      record.id,
    ),
  );

  it('names the service, the date, the references, the recipient and the patient', () => {
    expect(full.letterhead).toEqual([
      DEMO_LETTERHEAD.serviceName,
      DEMO_LETTERHEAD.organisation,
      ...DEMO_LETTERHEAD.address,
      `Telephone: ${DEMO_LETTERHEAD.telephone}`,
      `Email: ${DEMO_LETTERHEAD.email}`,
    ]);
    expect(full.date).toBe('Date: 26/11/2026');
    expect(full.references).toEqual([
      `Our reference: DD-${record.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
      'Your referral of 20/11/2026 (suspected cancer)',
    ]);
    expect(full.to).toEqual(['Dr Priya Shah', 'Riverside Medical Practice', 'ODS B82005']);
    expect(full.salutation).toBe('Dear Dr Priya Shah');
    expect(full.patient).toEqual([
      'Name: Ada LOVELACE',
      'Date of birth: 14/03/1961',
      expect.stringMatching(/^NHS number: \d{3} \d{3} \d{4}$/),
      'Address: 1 Example Street, Exampleton, EX1 1AA',
    ]);
  });

  it('has every clinical heading, in order, when each has something to say', () => {
    expect(headings(full)).toEqual([
      'Diagnosis',
      'Outcome and what happens next',
      'Advice to the referrer about the suspected-cancer referral',
      'Weighted 7-point checklist (NICE NG12)',
      'Actions for the GP',
      'Actions for the patient',
      'Information given: patient information leaflets (British Association of Dermatologists)',
    ]);
    expect(section(full, 'Diagnosis')).toEqual(['Inflamed seborrhoeic keratosis (SNOMED CT 442348004)']);
    expect(section(full, 'Outcome')).toEqual([
      'Routine face-to-face appointment',
      'Routine general dermatology appointment, in person.',
    ]);
    // The practice's actions come from the list the inbox and FHIR Tasks use, then the plan.
    expect(section(full, 'Actions for the GP')).toEqual([
      'Review the advice about your suspected-cancer referral: only you, as the referrer, can downgrade it.',
      expect.stringMatching(/^Tell the patient that the dermatology service will offer a face-to-face appointment/),
      'Follow the management plan in this letter.',
      'First-line treatment: Reassure; no treatment needed.',
      'If that does not help: Cryotherapy is not offered on the NHS for cosmetic reasons.',
      'When to re-refer: Re-refer if it bleeds, changes quickly or looks different from the others.',
      'Advice to the GP: Benign seborrhoeic keratosis.',
    ]);
    expect(section(full, 'Actions for the patient')).toEqual([
      'Safety-netting advice for the patient: See your GP if the lesion changes in size, shape or colour.',
    ]);
    expect(section(full, 'Advice to the referrer')).toEqual([
      'Looks like a seborrhoeic keratosis; consider downgrading.',
      'Only you, as the referrer, can downgrade this referral; it stays on the suspected cancer pathway until you do.',
    ]);
    expect(section(full, 'Weighted 7-point')).toEqual(['Score 1 (below 3).']);
    expect(section(full, 'Information given')).toEqual([
      'Seborrhoeic keratoses: https://www.skinhealthinfo.org.uk/condition/x/',
    ]);
    expect(full.signature).toEqual(['Dr Grace Hopper', 'Consultant Dermatologist', 'Signed 26/11/2026']);
  });

  it('leaves out every heading that would be empty (no empty headings)', () => {
    const bare = sampleCase();
    const content = letterContent(
      bare,
      signed(
        sampleDischarge({ diagnosis: null, downgradeAdvice: '  ', sevenPointScore: null, plan: emptyPlan }),
        bare.id,
      ),
    );
    expect(headings(content)).toEqual(['Outcome and what happens next']);
    for (const s of content.sections) expect(s.lines.length).toBeGreaterThan(0);
    // No address known: no address line (and no "Address:" with nothing after it).
    expect(content.patient.some((l) => l.startsWith('Address'))).toBe(false);
  });

  it('keeps each heading when only its own data is there', () => {
    const bare = sampleCase();
    const only = (plan: Partial<typeof emptyPlan>) =>
      headings(
        letterContent(
          bare,
          signed(sampleDischarge({ diagnosis: null, sevenPointScore: null, plan: { ...emptyPlan, ...plan } }), bare.id),
        ),
      );
    expect(only({ safetyNetting: 'Come back if it bleeds.' })).toEqual([
      'Outcome and what happens next',
      'Actions for the patient',
    ]);
    expect(only({ reReferral: 'If it grows.' })).toEqual(['Outcome and what happens next', 'Actions for the GP']);
    expect(only({ leaflets: [{ title: 'Moles', url: 'https://www.skinhealthinfo.org.uk/condition/moles/' }] })).toEqual(
      [
        'Outcome and what happens next',
        'Information given: patient information leaflets (British Association of Dermatologists)',
      ],
    );
  });

  it('prints a SNOMED CT code only when it is one of the verified codes we ship, under its own name', () => {
    const bare = sampleCase();
    const withCode = (snomedCode: string, label: string) =>
      section(letterContent(bare, signed(sampleDischarge({ diagnosis: { snomedCode, label } }), bare.id)), 'Diagnosis');
    expect(withCode('254701007', 'Basal cell carcinoma of skin')).toEqual([
      'Basal cell carcinoma of skin (SNOMED CT 254701007)',
    ]);
    // A well-formed but unverified id (a hostile or outdated workstation could send one): label only.
    expect(withCode('123456789', 'Something')).toEqual(['Something']);
    // A verified code under another diagnosis's name would file the wrong diagnosis: label only.
    expect(withCode('254701007', 'Seborrhoeic keratosis')).toEqual(['Seborrhoeic keratosis']);
  });

  it("carries the hub's attestation of the registered name, GMC number and both times", () => {
    const content = letterContent(record, signed(sampleDischarge(), record.id), {
      hub: { registeredName: 'Dr Grace B. Hopper', gmcNumber: '7654321', receivedByHubAt: '2026-11-26T12:30:00.000Z' },
    });
    expect(content.signature).toEqual([
      'Dr Grace B. Hopper',
      'Consultant Dermatologist, GMC 7654321',
      'Signed 26/11/2026 10:00 (workstation clock); received by the hub 26/11/2026 12:30',
    ]);
  });

  it('uses the configured letterhead and leaves out contact lines it does not have', () => {
    const content = letterContent(record, signed(sampleDischarge(), record.id), {
      letterhead: {
        serviceName: 'North Skin Service',
        organisation: '',
        address: ['1 Road'],
        telephone: '',
        email: '',
      },
    });
    expect(content.letterhead).toEqual(['North Skin Service', '1 Road']);
  });

  it('greets the referrer by name, adding "Dr" only when the name has no title', () => {
    expect(salutationFor('Dr Priya Shah')).toBe('Dear Dr Priya Shah');
    expect(salutationFor('Priya Shah')).toBe('Dear Dr Priya Shah');
    expect(salutationFor('Mrs Jo Bloggs')).toBe('Dear Mrs Jo Bloggs');
    expect(salutationFor('Drew Barry')).toBe('Dear Dr Drew Barry');
  });
});

describe('letterheadFromEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'letterhead-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it('is the demo letterhead when DERMDESK_LETTERHEAD is unset, and the file when it is set', () => {
    expect(letterheadFromEnv({})).toEqual(DEMO_LETTERHEAD);
    const path = file('ok.json', JSON.stringify({ serviceName: 'North Skin Service', address: ['1 Road'] }));
    expect(letterheadFromEnv({ DERMDESK_LETTERHEAD: path })).toEqual({
      serviceName: 'North Skin Service',
      organisation: '',
      address: ['1 Road'],
      telephone: '',
      email: '',
    });
  });
  it('refuses a truncated, wrongly shaped or missing file with the reason', () => {
    expect(() => letterheadFromEnv({ DERMDESK_LETTERHEAD: file('cut.json', '{"serviceName": "No') })).toThrow(
      /could not be read as JSON/,
    );
    expect(() => letterheadFromEnv({ DERMDESK_LETTERHEAD: file('shape.json', '{"serviceName": ""}') })).toThrow(
      /is not a letterhead: serviceName/,
    );
    expect(() => letterheadFromEnv({ DERMDESK_LETTERHEAD: join(dir, 'absent.json') })).toThrow(/could not be read/);
    rmSync(dir, { recursive: true, force: true });
  });
});
