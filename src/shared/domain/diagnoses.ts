import { z } from 'zod';
import bundled from '../../../resources/diagnoses/diagnoses.json' with { type: 'json' };

/**
 * The bundled list of dermatology diagnoses. A SNOMED CT concept id is present only where it was
 * verified against a public source, named by `snomedSource` (a key of resources/diagnoses/SOURCES.md);
 * the others are free-text-only and go to the GP as a label without a code.
 */
export const diagnosisEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    label: z.string().min(1),
    /** Other names and abbreviations the consultant may type (BCC, SK, mole, shingles...). */
    synonyms: z.array(z.string().min(1)),
    snomedCode: z
      .string()
      .regex(/^\d{6,18}$/)
      .nullable(),
    snomedSource: z.string().min(1).nullable(),
    /** How often teledermatology sees it: 5 every day ... 1 rare. Ranks matches after the consultant's own picks. */
    commonness: z.number().int().min(1).max(5),
    malignant: z.boolean(),
    pigmented: z.boolean(),
    templateId: z.string().min(1),
    leaflet: z.object({ title: z.string(), url: z.string().url(), urlVerified: z.boolean() }).nullable(),
  })
  .refine((d) => (d.snomedCode === null) === (d.snomedSource === null), {
    message: 'a SNOMED CT code needs its source, and a source needs a code',
  });
export type DiagnosisEntry = z.infer<typeof diagnosisEntrySchema>;

const parsed = z.object({ azIndexUrl: z.string().url(), diagnoses: z.array(diagnosisEntrySchema) }).parse(bundled);
export const diagnoses: readonly DiagnosisEntry[] = parsed.diagnoses;
/** The BAD's A-Z index: where the consultant finds a leaflet the list does not link. */
export const badAzIndexUrl = parsed.azIndexUrl;

function normalise(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each entry's names (label first, then synonyms), normalised once. */
const namesCache = new WeakMap<DiagnosisEntry, string[]>();
function namesOf(d: DiagnosisEntry): string[] {
  let names = namesCache.get(d);
  if (!names) {
    names = [d.label, ...d.synonyms].map(normalise);
    namesCache.set(d, names);
  }
  return names;
}

/** How many times this consultant chose each diagnosis (by entry id). */
export type PickCounts = Readonly<Record<string, number>>;

export interface DiagnosisSearchOptions {
  list?: readonly DiagnosisEntry[];
  picks?: PickCounts;
}

/**
 * Picker search. An entry matches when every query word prefixes a word of its label or of one
 * synonym ("seb ker", "naev", "bcc"), or the query is its SNOMED code. Order:
 * 1. an exact name: the query IS the label, a synonym or an abbreviation ("sk", "bcc", "psoriasis");
 *    nothing the consultant has picked before, however often, outranks what they typed exactly;
 * 2. how often this consultant has picked it;
 * 3. how common it is (so "naev" offers the ordinary mole before the rare giant congenital naevus,
 *    and a rare or malignant entry never comes first on a partial word alone);
 * 4. a name that starts with the query, then the label alphabetically.
 * Enter takes the first: a rare or malignant entry is first only if it is an exact name or the
 * consultant's own habit.
 */
export function searchDiagnoses(query: string, options: DiagnosisSearchOptions = {}): DiagnosisEntry[] {
  const list = options.list ?? diagnoses;
  const picks = options.picks ?? {};
  const q = normalise(query);
  const terms = q ? q.split(' ') : [];
  type Hit = { d: DiagnosisEntry; exact: boolean; starts: boolean };
  const hits: Hit[] = [];
  for (const d of list) {
    if (!q) {
      hits.push({ d, exact: false, starts: false });
      continue;
    }
    if (d.snomedCode === q) {
      hits.push({ d, exact: true, starts: true });
      continue;
    }
    const names = namesOf(d);
    const matching = names.filter((name) => {
      const words = name.split(' ');
      return terms.every((t) => words.some((w) => w.startsWith(t)));
    });
    if (matching.length === 0) continue;
    hits.push({ d, exact: names.includes(q), starts: matching.some((n) => n.startsWith(q)) });
  }
  const byDiagnosis = (a: Hit, b: Hit): number =>
    Number(b.exact) - Number(a.exact) ||
    (picks[b.d.id] ?? 0) - (picks[a.d.id] ?? 0) ||
    b.d.commonness - a.d.commonness ||
    Number(b.starts) - Number(a.starts) ||
    a.d.label.localeCompare(b.d.label);
  return hits.sort(byDiagnosis).map((h) => h.d);
}

/** Bundled label by SNOMED CT code: every code we ship was verified from a public source. */
const labelOfVerifiedCode = new Map(diagnoses.flatMap((d) => (d.snomedCode ? [[d.snomedCode, d.label] as const] : [])));

/**
 * The SNOMED CT code of a signed decision's diagnosis, only when that code and that label are
 * one of our verified entries; otherwise null (free text, a code from elsewhere, or a code under
 * another name). Whatever leaves the service (letter, FHIR) uses this, so a GP system never files
 * an unverified or mismatched code.
 */
export function verifiedSnomedCode(diagnosis: { snomedCode: string | null; label: string }): string | null {
  const code = diagnosis.snomedCode;
  return code !== null && labelOfVerifiedCode.get(code) === diagnosis.label ? code : null;
}

export function diagnosisById(id: string): DiagnosisEntry | undefined {
  return diagnoses.find((d) => d.id === id);
}

/**
 * Pick counts by entry id from counts by the label a signed decision carries (what core stores);
 * labels not in the list (free text) are left out.
 */
export function pickCountsFromLabels(counts: readonly { label: string; count: number }[]): PickCounts {
  const byLabel = new Map(diagnoses.map((d) => [d.label, d.id]));
  const out: Record<string, number> = {};
  for (const { label, count } of counts) {
    const id = byLabel.get(label);
    if (id) out[id] = (out[id] ?? 0) + count;
  }
  return out;
}

/**
 * SNOMED CT identifiers end in a Verhoeff check digit (SNOMED CT Technical Implementation Guide,
 * "Check-digit computation"): a mistyped or transposed digit in a shipped code is caught here.
 * Valid when the dihedral product over every digit, the check digit included, is 0.
 */
export function hasValidVerhoeffCheckDigit(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    c = DIHEDRAL[c]![PERMUTATION[i % 8]![digit]!]!;
  }
  return c === 0;
}

/** Multiplication in the dihedral group D5. */
const DIHEDRAL = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
/** The position permutations, built as the TIG builds them: F(i)(j) = F(i-1)(F(1)(j)). */
const PERMUTATION: number[][] = (() => {
  const f: number[][] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  ];
  for (let i = 2; i < 8; i++) f.push(f[1]!.map((j) => f[i - 1]![j]!));
  return f;
})();
