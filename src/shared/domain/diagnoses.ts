import { z } from 'zod';
import bundled from '../../../resources/diagnoses/diagnoses.json' with { type: 'json' };

/**
 * The bundled list of common dermatology diagnoses. A SNOMED CT concept id is present only where
 * it was verified against a public source (resources/diagnoses/SOURCES.md); the others are
 * free-text-only and go to the GP as a label without a code.
 */
export const diagnosisEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  snomedCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .nullable(),
  pigmented: z.boolean(),
  templateId: z.string().min(1),
  leaflet: z.object({ title: z.string(), url: z.string().url(), urlVerified: z.boolean() }).nullable(),
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
    .replace(/[^a-z0-9 ]+/g, ' ')
    .trim();
}

/**
 * Picker search: every query word must prefix a word of the label (so "seb ker" finds seborrhoeic
 * keratosis); a SNOMED code matches exactly. Label-start matches rank first.
 */
export function searchDiagnoses(query: string, list: readonly DiagnosisEntry[] = diagnoses): DiagnosisEntry[] {
  const q = normalise(query);
  if (!q) return [...list];
  const terms = q.split(/\s+/);
  const hits = list.filter((d) => {
    if (d.snomedCode === q) return true;
    const words = normalise(d.label).split(/\s+/);
    return terms.every((t) => words.some((w) => w.startsWith(t)));
  });
  const starts = (d: DiagnosisEntry): number => (normalise(d.label).startsWith(terms[0] ?? '') ? 0 : 1);
  return hits.sort((a, b) => starts(a) - starts(b) || a.label.localeCompare(b.label));
}

export function diagnosisById(id: string): DiagnosisEntry | undefined {
  return diagnoses.find((d) => d.id === id);
}
