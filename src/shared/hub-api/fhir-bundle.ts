import type { ReferralPriority } from '../domain/case';
import { imageKinds, type ImageKind } from '../domain/case';
import type { FieldError, IntakeSubmission } from './intake-api';

/**
 * GP intake as an HL7 FHIR R4 transaction Bundle, for practices whose clinical system speaks FHIR.
 * One Bundle is one referral:
 *   Patient                (NHS number identifier, name, birthDate, gender)
 *   ServiceRequest         (priority, reasonCode = presenting complaint, bodySite = body-map region,
 *                           requester.display = referring clinician)
 *   QuestionnaireResponse  (the rest of the minimum dataset, one item per linkId below)
 *   Consent                (status active = consent given; dateTime, performer)
 *   DocumentReference or Media, one per image (attachment contentType + base64 data; the kind in
 *                           type.coding / view.coding with IMAGE_KIND_SYSTEM)
 * Mapping is pure and reports every problem as a FHIRPath-like field, so the sender's system can
 * point its user at the exact element. Unknown resources are ignored, not refused.
 */
export const FHIR_CONTENT_TYPE = 'application/fhir+json';
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/**
 * DermDesk's own two code systems (body-map region ids from domain/body-map.ts, and the image
 * kinds overview / close-up / dermoscopy) have no public equivalent we could verify code by code,
 * so they are named by fixed RFC 4122 UUID URNs minted for them: valid FHIR canonical URIs that
 * need no domain and cannot collide. Senders built against the first release's
 * `https://dermdesk.example/...` names are still understood (LEGACY_*), never emitted.
 */
export const BODY_MAP_SYSTEM = 'urn:uuid:19e54eab-b1e8-463f-bb00-c3319fe183d3';
export const IMAGE_KIND_SYSTEM = 'urn:uuid:b2f1c382-3b78-4fae-af7a-e21f0ed43a02';
const LEGACY_BODY_MAP_SYSTEM = 'https://dermdesk.example/fhir/body-map';
const LEGACY_IMAGE_KIND_SYSTEM = 'https://dermdesk.example/fhir/image-kind';

/** ServiceRequest.priority → referral priority. FHIR has no "two-week wait": `asap` carries it. */
const PRIORITY: Record<string, ReferralPriority> = { routine: 'routine', urgent: 'urgent', asap: 'suspected-cancer' };
export const FHIR_PRIORITY_OF: Record<ReferralPriority, string> = {
  routine: 'routine',
  urgent: 'urgent',
  'suspected-cancer': 'asap',
};

export const historyLinkIds = [
  'duration',
  'evolution',
  'symptoms',
  'history',
  'medication',
  'allergies',
  'risk-factors',
] as const;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface FhirOperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'error'; code: 'invalid' | 'required' | 'structure'; diagnostics: string; expression: string[] }[];
}

export function toOperationOutcome(errors: FieldError[]): FhirOperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: errors.map((e) => ({
      severity: 'error',
      code: /required|missing|no /i.test(e.message) ? 'required' : 'invalid',
      diagnostics: e.message,
      expression: [e.field],
    })),
  };
}

export type BundleMapping =
  { ok: true; submission: IntakeSubmission; paths: Map<string, string> } | { ok: false; errors: FieldError[] };

/**
 * Maps a Bundle to the JSON intake submission. `paths` maps the submission's field paths back to
 * the Bundle's elements, so later checks (NHS check digit, image bytes) can report FHIR paths too.
 */
export function bundleToSubmission(bundle: unknown): BundleMapping {
  const errors: FieldError[] = [];
  const paths = new Map<string, string>();
  const fail = (field: string, message: string): void => void errors.push({ field, message });
  if (!isObj(bundle) || bundle['resourceType'] !== 'Bundle') {
    return { ok: false, errors: [{ field: 'Bundle.resourceType', message: 'must be "Bundle"' }] };
  }
  if (bundle['type'] !== 'transaction') fail('Bundle.type', 'must be "transaction"');
  const entries = arr(bundle['entry']);
  if (entries.length === 0)
    return { ok: false, errors: [...errors, { field: 'Bundle.entry', message: 'no entries: the Bundle is empty' }] };

  const byType = new Map<string, { resource: Json; at: string }[]>();
  entries.forEach((entry, i) => {
    const at = `Bundle.entry[${i}].resource`;
    if (!isObj(entry) || !isObj(entry['resource'])) return fail(`Bundle.entry[${i}]`, 'entry has no resource');
    const type = str(entry['resource']['resourceType']);
    if (!type) return fail(`${at}.resourceType`, 'resourceType is missing');
    const list = byType.get(type) ?? [];
    list.push({ resource: entry['resource'], at });
    byType.set(type, list);
  });
  const one = (type: string): { resource: Json; at: string } | null => {
    const list = byType.get(type) ?? [];
    if (list.length === 0) {
      fail(`Bundle.entry(${type})`, `no ${type} in the Bundle: it is required`);
      return null;
    }
    if (list.length > 1) fail(list[1]!.at, `only one ${type} per referral Bundle`);
    return list[0]!;
  };

  const patient = one('Patient');
  const request = one('ServiceRequest');
  const answers = one('QuestionnaireResponse');
  const consentEntries = byType.get('Consent') ?? [];
  if (consentEntries.length === 0)
    fail('Bundle.entry(Consent)', 'no Consent in the Bundle: consent to the referral is required');
  const images = [...(byType.get('DocumentReference') ?? []), ...(byType.get('Media') ?? [])];
  if (images.length === 0)
    fail('Bundle.entry(DocumentReference|Media)', 'no image in the Bundle: at least one is required');

  // Patient
  let nhsNumber = '';
  let givenName = '';
  let familyName = '';
  let dateOfBirth = '';
  let sex: IntakeSubmission['patient']['sex'] = 'unknown';
  if (patient) {
    const { resource: p, at } = patient;
    const ids = arr(p['identifier']).filter(isObj);
    const idIndex = ids.findIndex((id) => id['system'] === NHS_NUMBER_SYSTEM);
    if (idIndex < 0) fail(`${at}.identifier`, `no NHS number identifier (system ${NHS_NUMBER_SYSTEM})`);
    else {
      nhsNumber = (str(ids[idIndex]!['value']) ?? '').replace(/\s/g, '');
      paths.set('patient.nhsNumber', `${at}.identifier[${idIndex}].value`);
    }
    const name = arr(p['name']).find(isObj);
    familyName = str(name?.['family']) ?? '';
    givenName = arr(name?.['given'])
      .filter((g) => typeof g === 'string')
      .join(' ');
    paths.set('patient.familyName', `${at}.name[0].family`);
    paths.set('patient.givenName', `${at}.name[0].given`);
    dateOfBirth = str(p['birthDate']) ?? '';
    paths.set('patient.dateOfBirth', `${at}.birthDate`);
    const gender = str(p['gender']);
    if (gender === 'female' || gender === 'male' || gender === 'other' || gender === 'unknown') sex = gender;
    else if (gender !== undefined) fail(`${at}.gender`, 'must be female, male, other or unknown');
  }

  // ServiceRequest
  let priority: ReferralPriority = 'routine';
  let presentingComplaint = '';
  let region = '';
  let siteDescription = '';
  let clinician = '';
  if (request) {
    const { resource: s, at } = request;
    const p = str(s['priority']) ?? 'routine';
    const mapped = PRIORITY[p];
    if (!mapped) fail(`${at}.priority`, 'must be routine, urgent or asap (suspected cancer)');
    else priority = mapped;
    presentingComplaint = arr(s['reasonCode'])
      .filter(isObj)
      .map((c) => str(c['text']) ?? '')
      .join('; ');
    paths.set('referral.presentingComplaint', `${at}.reasonCode[0].text`);
    const site = arr(s['bodySite']).find(isObj);
    const coding = arr(site?.['coding'])
      .filter(isObj)
      .find((c) => c['system'] === BODY_MAP_SYSTEM || c['system'] === LEGACY_BODY_MAP_SYSTEM);
    region = str(coding?.['code']) ?? '';
    siteDescription = str(site?.['text']) ?? '';
    paths.set('referral.site.region', `${at}.bodySite[0].coding`);
    paths.set('referral.site.description', `${at}.bodySite[0].text`);
    const requester = isObj(s['requester']) ? s['requester'] : undefined;
    clinician = str(requester?.['display']) ?? '';
    paths.set('clinician', `${at}.requester.display`);
  }

  // QuestionnaireResponse: the history items of the minimum dataset
  const history: Record<string, string[]> = {};
  if (answers) {
    const { resource: q, at } = answers;
    arr(q['item'])
      .filter(isObj)
      .forEach((item, i) => {
        const linkId = str(item['linkId']) ?? '';
        const values = arr(item['answer'])
          .filter(isObj)
          .map((a) => str(a['valueString']))
          .filter((v): v is string => v !== undefined);
        history[linkId] = values;
        const field = linkId === 'risk-factors' ? 'referral.riskFactors' : `referral.${linkId}`;
        paths.set(field, `${at}.item[${i}].answer`);
      });
    paths.set('referral.duration', paths.get('referral.duration') ?? `${at}.item(duration)`);
  }
  const h = (id: (typeof historyLinkIds)[number]): string => (history[id] ?? []).join('\n');

  // Consent: the first active one counts; a rejected one means no consent.
  let consent: IntakeSubmission['referral']['consent'] = null;
  const consentEntry = consentEntries[0];
  if (consentEntry) {
    const { resource: c, at } = consentEntry;
    const status = str(c['status']);
    const performer = arr(c['performer']).find(isObj);
    consent = {
      given: status === 'active',
      recordedAt: str(c['dateTime']) ?? '',
      recordedBy: str(performer?.['display']) ?? '',
    };
    paths.set('referral.consent', `${at}.status`);
    paths.set('referral.consent.given', `${at}.status`);
    paths.set('referral.consent.recordedAt', `${at}.dateTime`);
    paths.set('referral.consent.recordedBy', `${at}.performer[0].display`);
  }

  // Images
  const submissionImages: IntakeSubmission['images'] = images.map(({ resource: r, at }, i) => {
    const isMedia = r['resourceType'] === 'Media';
    const attachmentPath = isMedia ? `${at}.content` : `${at}.content[0].attachment`;
    const attachment = isMedia
      ? isObj(r['content'])
        ? r['content']
        : undefined
      : isObj(arr(r['content'])[0]) && isObj((arr(r['content'])[0] as Json)['attachment'])
        ? ((arr(r['content'])[0] as Json)['attachment'] as Json)
        : undefined;
    if (!attachment) fail(attachmentPath, 'no attachment with the image bytes');
    const codings = [
      ...arr(isObj(r['type']) ? r['type']['coding'] : []),
      ...arr(isObj(r['view']) ? r['view']['coding'] : []),
    ].filter(isObj);
    const kindCode = str(
      codings.find((c) => c['system'] === IMAGE_KIND_SYSTEM || c['system'] === LEGACY_IMAGE_KIND_SYSTEM)?.['code'],
    );
    const kind = imageKinds.find((k) => k === kindCode);
    if (!kind)
      fail(
        `${at}.${isMedia ? 'view' : 'type'}.coding`,
        `image kind must be one of ${imageKinds.join(', ')} (system ${IMAGE_KIND_SYSTEM})`,
      );
    paths.set(`images.${i}.mediaType`, `${attachmentPath}.contentType`);
    paths.set(`images.${i}.data`, `${attachmentPath}.data`);
    const creation = str(attachment?.['creation']);
    return {
      kind: (kind ?? 'overview') as ImageKind,
      mediaType: (str(attachment?.['contentType']) ?? '') as IntakeSubmission['images'][number]['mediaType'],
      data: str(attachment?.['data']) ?? '',
      ...(creation ? { takenAt: creation } : {}),
    };
  });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    paths,
    submission: {
      patient: { nhsNumber, givenName, familyName, dateOfBirth, sex },
      clinician,
      referral: {
        priority,
        presentingComplaint,
        duration: h('duration'),
        evolution: h('evolution'),
        site: { region, description: siteDescription },
        symptoms: h('symptoms'),
        history: h('history'),
        medication: h('medication'),
        allergies: h('allergies'),
        riskFactors: history['risk-factors'] ?? [],
        consent,
      },
      images: submissionImages,
    },
  };
}
