import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { FIELD_MESSAGES } from '../../src/shared/hub-api/field-messages';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { addPractice, fixtureBase64, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';

/**
 * What a GP or a patient reads when a field is wrong, over real HTTP: plain English from the one
 * message table (src/shared/hub-api/field-messages.ts), never a validator's own words.
 */
const VALIDATOR_WORDS = /Too small|Too big|expected|Invalid|>=|<=|must be YYYY|Required/;

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startTestHub();
  token = await practiceLogin(hub, await addPractice(hub));
});
afterAll(async () => hub.close());

const post = (path: string, body: unknown) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

async function fieldsOf(res: Response): Promise<Record<string, string>> {
  expect(res.status).toBe(422);
  const body = (await res.json()) as { error: { fields: { field: string; message: string }[] } };
  for (const f of body.error.fields) expect(f.message, f.field).not.toMatch(VALIDATOR_WORDS);
  return Object.fromEntries(body.error.fields.map((f) => [f.field, f.message]));
}

describe('plain-English field errors', () => {
  it('the GP form sent empty (what the form posts with nothing filled in): "Enter the patient\'s given name" and the like, one per field', async () => {
    const s = sampleSubmission(61);
    const res = await post('/intake/referrals', {
      patient: { nhsNumber: '', givenName: '', familyName: '', dateOfBirth: '', sex: '' },
      clinician: '',
      referral: {
        ...s.referral,
        priority: '',
        presentingComplaint: '',
        duration: '',
        site: { region: '', description: '' },
        consent: null,
      },
      images: [],
    });
    const fields = await fieldsOf(res);
    expect(fields).toMatchObject({
      'patient.givenName': "Enter the patient's given name",
      'patient.familyName': "Enter the patient's family name",
      'patient.nhsNumber': "Enter the patient's NHS number",
      'patient.dateOfBirth': "Enter the patient's date of birth",
      'patient.sex': "Choose the patient's sex",
      clinician: "Enter the referring clinician's name",
      'referral.priority': 'Choose how urgent the referral is',
      'referral.presentingComplaint': 'Describe the presenting complaint',
      'referral.duration': 'Say how long the patient has had the lesion',
      'referral.site.region': 'Choose the lesion site on the body map',
      'referral.consent': FIELD_MESSAGES['referral.consent']!.missing,
      images: 'Add at least one photograph',
    });
  });

  it('malformed, too long and wrong choices are named too, and a photograph by its number', async () => {
    const s = sampleSubmission(62);
    const res = await post('/intake/referrals', {
      ...s,
      patient: { ...s.patient, nhsNumber: '12345', givenName: 'x'.repeat(101), dateOfBirth: '31/12/1950' },
      referral: { ...s.referral, priority: 'asap' },
      images: [s.images[0], { ...s.images[1]!, kind: 'selfie', mediaType: 'image/gif' }],
    });
    const fields = await fieldsOf(res);
    expect(fields).toMatchObject({
      'patient.nhsNumber': "Enter the patient's NHS number as 10 digits, for example 943 476 5919",
      'patient.givenName': "The patient's given name must be 100 characters or fewer",
      'patient.dateOfBirth': "Enter the patient's date of birth as a real date, for example 1948-02-29",
      'referral.priority': 'Choose how urgent the referral is: routine, urgent or suspected cancer',
      'images.1.kind': 'Photograph 2: Choose what the photograph shows: overview, close-up or dermoscopy',
      'images.1.mediaType': 'Photograph 2: The photograph must be a JPEG, PNG or WebP image',
    });
  });

  it('the patient page sent empty: "Enter your date of birth", "Tick the box…", "Add at least one photograph"', async () => {
    const s = sampleSubmission(63);
    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const link = createLinkResponseSchema.parse(
      await (
        await post('/practice/patient-links', {
          kind: 'new-referral',
          draft: { patient: s.patient, clinician: s.clinician, referral },
        })
      ).json(),
    );
    const res = await fetch(`${hub.url}${HUB_API_PREFIX}/patient-links/${link.token}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: false, dateOfBirth: '', symptoms: '', images: [] }),
    });
    expect(await fieldsOf(res)).toEqual({
      consent: 'Tick the box to agree to send your photographs to the clinic',
      dateOfBirth: 'Enter your date of birth',
      images: 'Add at least one photograph',
    });
    // A good submission still goes through afterwards (nothing was spent by the refusal).
    const ok = await fetch(`${hub.url}${HUB_API_PREFIX}/patient-links/${link.token}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        consent: true,
        dateOfBirth: s.patient.dateOfBirth,
        symptoms: '',
        images: [{ kind: 'overview', mediaType: 'image/jpeg', data: fixtureBase64(0) }],
      }),
    });
    expect(ok.status).toBe(200);
  });

  it('a link made from a half-filled GP form names the draft fields in the same words', async () => {
    const s = sampleSubmission(64);
    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const res = await post('/practice/patient-links', {
      kind: 'new-referral',
      draft: { patient: { ...s.patient, givenName: '' }, clinician: s.clinician, referral },
    });
    expect(await fieldsOf(res)).toMatchObject({ 'draft.patient.givenName': "Enter the patient's given name" });
  });
});
