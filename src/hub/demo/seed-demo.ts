import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImageInput, HubAdmin } from '../admin/hub-admin';
import type { HubContext } from '../hub-context';
import { nhsCheckDigit } from '../../shared/domain/nhs-number';
import { demoPhoto, type PhotoSpec } from './demo-images';
import { demoPractices, demoReferrals } from './demo-referrals';
import { seedEarlierCase } from './demo-earlier-case';
import type { Patient } from '../../shared/domain/case';

export const DEMO_USERNAME = 'demo.consultant';
export const DEMO_PASSWORD = 'dermdesk-demo-2026';
/** A made-up 7-digit GMC number for the demo consultant (demo data only). */
export const DEMO_GMC_NUMBER = '7000001';
const SEEDED = 'demo-seeded';

/** The shared real-image fixtures beside the repository (../shared/fixtures). */
export const defaultFixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/dermoscopy');

/** Generated photographs: 24-48 MP, two stored sideways with EXIF orientation 6 as phones do. */
function photoSpecs(lesions: string[]): PhotoSpec[] {
  const lesion = (i: number) => lesions[i % lesions.length] as string;
  return [
    {
      name: 'photo-48mp-back',
      width: 8000,
      height: 6000,
      lesionFile: lesion(0),
      tone: [226, 184, 160],
      exifRotated: true,
    },
    {
      name: 'photo-24mp-elbow',
      width: 6000,
      height: 4000,
      lesionFile: lesion(2),
      tone: [198, 150, 118],
      exifRotated: false,
    },
    {
      name: 'photo-30mp-thigh',
      width: 6720,
      height: 4480,
      lesionFile: lesion(3),
      tone: [232, 190, 168],
      exifRotated: true,
    },
    {
      name: 'photo-35mp-trunk',
      width: 7200,
      height: 4800,
      lesionFile: lesion(1),
      tone: [150, 104, 78],
      exifRotated: false,
    },
  ];
}

/**
 * Seeds the demo consultant and a dozen realistic referrals, once per data dir: deterministic case
 * ids make a re-run after an interruption add only what is missing. Generated photographs are
 * cached under <dataDir>/demo-cache so a second data dir on the same machine seeds quicker.
 */
export async function seedDemo(
  admin: HubAdmin,
  ctx: HubContext,
  dataDir: string,
  progress: (line: string) => void,
  fixturesDir: string = defaultFixturesDir,
): Promise<{ username: string; password: string }> {
  const credentials = { username: DEMO_USERNAME, password: DEMO_PASSWORD };
  if ((await ctx.repo.getMeta(SEEDED)) !== null) {
    progress('demo data already seeded in this data dir');
    return credentials;
  }
  if (!(await admin.findUser(DEMO_USERNAME))) {
    await admin.createUser({
      username: DEMO_USERNAME,
      password: DEMO_PASSWORD,
      displayName: 'Dr Demo Consultant',
      gmcNumber: DEMO_GMC_NUMBER,
    });
    progress(`created demo consultant ${DEMO_USERNAME}`);
  }
  if (!existsSync(fixturesDir)) throw new Error(`Demo images need the shared fixtures at ${fixturesDir}`);
  const lesions = readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(fixturesDir, f));
  const dermoscopy = lesions.map((f) => readFileSync(f));

  const specs = photoSpecs(lesions);
  const photos: Buffer[] = [];
  for (const [i, spec] of specs.entries()) {
    const started = Date.now();
    photos.push(await demoPhoto(join(dataDir, 'demo-cache'), spec));
    const mp = ((spec.width * spec.height) / 1e6).toFixed(1);
    progress(
      `photograph ${i + 1}/${specs.length}: ${mp} MP${spec.exifRotated ? ' (EXIF orientation 6)' : ''} in ${Date.now() - started} ms`,
    );
  }

  const now = ctx.now().getTime();
  for (const [i, r] of demoReferrals.entries()) {
    const id = demoCaseId(i);
    if (await ctx.repo.getCase(id)) continue;
    const receivedAt = new Date(now - r.hoursAgo * 3_600_000).toISOString();
    const takenAt = new Date(now - (r.hoursAgo + 20) * 3_600_000).toISOString();
    const images: ImageInput[] = [
      ...r.photos.map((p) => ({ bytes: photos[p] as Buffer, kind: 'overview' as const, takenAt })),
      ...r.dermoscopy.map((d) => ({
        bytes: dermoscopy[d % dermoscopy.length] as Buffer,
        kind: 'dermoscopy' as const,
        takenAt,
      })),
    ];
    const practice = demoPractices[r.practice] ?? demoPractices[0];
    await admin.addCase({
      id,
      patient: demoPatient(i),
      practice: { ...practice },
      referral: {
        priority: r.priority,
        receivedAt,
        presentingComplaint: r.complaint,
        duration: r.duration,
        evolution: r.evolution,
        site: { region: r.region, description: r.siteDescription },
        symptoms: r.symptoms,
        history: r.history,
        medication: r.medication,
        allergies: r.allergies,
        riskFactors: r.riskFactors,
        consent: r.consent ? { given: true, recordedAt: receivedAt, recordedBy: practice.clinician } : null,
      },
      images,
    });
    progress(`referral ${i + 1}/${demoReferrals.length}: ${r.priority}, ${images.length} image(s)`);
  }
  // The first patient was seen before: her earlier case, decided, travels with today's referral.
  await seedEarlierCase(admin, ctx, {
    id: demoCaseId(EARLIER_CASE_INDEX),
    decisionId: demoCaseId(EARLIER_CASE_INDEX + 1),
    patient: demoPatient(0),
    practice: { ...demoPractices[0] },
    photo: dermoscopy[3 % dermoscopy.length] as Buffer,
    now,
  });
  progress('an earlier, decided case of the first patient (for comparison)');
  await ctx.repo.setMeta(SEEDED, ctx.now().toISOString());
  return credentials;
}

/** Demo case ids from here on are the earlier case (and its decision), not referrals in the pool. */
const EARLIER_CASE_INDEX = 1000;

function demoPatient(index: number): Patient {
  const r = demoReferrals[index] ?? demoReferrals[0]!;
  return {
    nhsNumber: demoNhsNumber(index),
    givenName: r.givenName,
    familyName: r.familyName,
    dateOfBirth: r.dateOfBirth,
    sex: r.sex,
  };
}

/** A stable UUID-shaped id per demo referral (so re-seeding never duplicates). */
export function demoCaseId(index: number): string {
  const h = createHash('sha256').update(`dermdesk-demo-case-${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A valid (check digit) NHS number in the 999 range the NHS reserves for test data. */
export function demoNhsNumber(index: number): string {
  for (let n = 100000 + index * 7919; ; n++) {
    const nine = `999${String(n % 1_000_000).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}
