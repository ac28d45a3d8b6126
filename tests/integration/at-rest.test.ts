import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDecisionForm } from '../../src/shared/domain/decision-form';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { dermoscopyFixtures } from '../support/fixtures';
import { sampleCase, sampleNhsNumber } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { openCore, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * Issue #5: "No plaintext patient data anywhere under the data directory (a test greps it)."
 * A consultant's whole day on a real hub (sync with real photographs, previews and tiles built,
 * the case viewed, a draft autosaved, marks drawn, the decision signed and a letter exported),
 * then every byte of every file under the data directory — database, WAL, settings, images,
 * derivatives, temp files — is searched for the patient's details, the clinical text, the hub
 * token and the photographs' own bytes. Searched twice: with the core running (WAL not yet
 * checkpointed) and after it closed.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const patient = {
  nhsNumber: sampleNhsNumber(4242),
  givenName: 'Philippa',
  familyName: 'Quennell-Zabriskie',
  dateOfBirth: '1958-02-27',
  sex: 'female' as const,
};
const clinicalText = 'Itchy pigmented plaque near the left scapula since a holiday in Tenerife';
const draftText = 'Xylocarpine emollient twice daily';
const markText = 'Irregular border at six o clock';

function everyFile(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Each needle found, with the files it was found in (an empty list is the pass). */
function plaintextHits(dir: string, needles: Array<{ what: string; bytes: Buffer }>): string[] {
  const hits: string[] = [];
  for (const file of everyFile(dir)) {
    const data = readFileSync(file);
    for (const n of needles) if (data.includes(n.bytes)) hits.push(`${n.what} in ${file.slice(dir.length)}`);
    // No file may even look like a picture.
    const head = data.subarray(0, 12);
    if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) hits.push(`JPEG file ${file}`);
    if (head.subarray(1, 4).toString('latin1') === 'PNG') hits.push(`PNG file ${file}`);
    if (head.subarray(8, 12).toString('latin1') === 'WEBP') hits.push(`WebP file ${file}`);
  }
  return hits;
}

describe('encryption at rest: the data directory after a working session', () => {
  it('holds no patient name, NHS number, birth date, clinical text, hub token or image bytes in plaintext', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    const deskDir = makeTempDir('dermdesk-desk-');
    cleanups.push(hubDir.remove, deskDir.remove);
    const hub = await startTestHub(hubDir.path);
    cleanups.push(() => hub.close());
    await seedConsultant(hub);
    const photos = dermoscopyFixtures()
      .slice(0, 3)
      .map((f) => readFileSync(f));
    const base = sampleCase({ patient });
    const record = await hub.admin.addCase({
      patient,
      practice: base.practice,
      referral: { ...base.referral, history: clinicalText },
      images: [
        { bytes: photos[0] as Buffer, kind: 'overview' },
        { bytes: photos[1] as Buffer, kind: 'close-up' },
        { bytes: photos[2] as Buffer, kind: 'dermoscopy' },
      ],
    });

    const secrets = new MemorySecretStore();
    const dataDir = join(deskDir.path, 'data');
    const core = openCore(dataDir, secrets, { derive: true });
    let open = true;
    cleanups.push(() => {
      if (open) core.close();
    });
    await signIn(core, hub.url);
    expect(await core.handlers['sync.run']({ claim: 1 })).toMatchObject({ casesStored: 1 });
    await core.derivatives.idle();
    const sha = record.images[2]?.sha256 ?? '';
    expect(core.derivatives.status(sha).state).toBe('ready');

    await core.handlers['case.get']({ caseId: record.id });
    await core.handlers['decision.saveDraft']({
      caseId: record.id,
      form: {
        ...emptyDecisionForm(),
        outcomeKind: 'discharge',
        plan: { ...emptyDecisionForm().plan, firstLine: draftText },
      },
    });
    await core.handlers['annotations.save']({
      sha256: sha,
      doc: {
        schemaVersion: 1,
        calibration: null,
        shapes: [{ id: 't1', kind: 'text', color: '#ffd400', at: { x: 10, y: 10 }, text: markText }],
      },
      expectedRevision: 0,
    });
    const form = {
      ...emptyDecisionForm(),
      outcomeKind: 'discharge' as const,
      diagnosisFreeText: 'Seborrhoeic keratosis',
      plan: { ...emptyDecisionForm().plan, firstLine: draftText, safetyNetting: 'See your GP if it changes.' },
    };
    const decision = await core.handlers['decision.sign']({ caseId: record.id, form, supersedes: null });
    const letter = await core.handlers['decision.letter']({ decisionId: decision.id });
    // The letter is a deliberate export for the GP: it is written outside the data directory.
    expect(letter.path.startsWith(dataDir)).toBe(false);
    expect(readFileSync(letter.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const token = (await secrets.get('hub-token')) ?? '';
    expect(token.length).toBeGreaterThan(20);
    const needles = [
      { what: 'family name', bytes: Buffer.from(patient.familyName) },
      { what: 'given name', bytes: Buffer.from(patient.givenName) },
      { what: 'NHS number', bytes: Buffer.from(patient.nhsNumber) },
      {
        what: 'NHS number (spaced)',
        bytes: Buffer.from(patient.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3')),
      },
      { what: 'date of birth', bytes: Buffer.from(patient.dateOfBirth) },
      { what: 'clinical history', bytes: Buffer.from('Tenerife') },
      { what: 'draft plan', bytes: Buffer.from('Xylocarpine') },
      { what: 'annotation label', bytes: Buffer.from('six o clock') },
      { what: 'hub token', bytes: Buffer.from(token) },
      ...photos.map((p, i) => ({ what: `photo ${i} bytes`, bytes: p.subarray(4096, 4160) })),
    ];
    expect(plaintextHits(dataDir, needles)).toEqual([]);

    // The grep is not vacuous: the same needles are found in what the core decrypts.
    const shown = await core.handlers['case.get']({ caseId: record.id });
    expect(JSON.stringify(shown)).toContain(patient.familyName);
    const original = await core.readImage(record.images[0]?.sha256 ?? '', 'original');
    expect(original.ok && original.bytes.includes(photos[0]?.subarray(4096, 4160) as Buffer)).toBe(true);

    core.close();
    open = false;
    expect(plaintextHits(dataDir, needles)).toEqual([]);

    // And the search itself finds what it looks for: a planted plaintext copy is caught.
    writeFileSync(join(dataDir, 'planted.bin'), Buffer.concat([photos[0] as Buffer, Buffer.from(patient.familyName)]));
    expect(plaintextHits(dataDir, needles)).toEqual([
      'family name in /planted.bin',
      'photo 0 bytes in /planted.bin',
      `JPEG file ${join(dataDir, 'planted.bin')}`,
    ]);
  });
});
