import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The service's letterhead and contact details, at the top of every outcome letter (PRSB
 * outpatient letter: "service" and "contact details"). One value for the whole service: the hub
 * takes it from the file named by DERMDESK_LETTERHEAD (see letterheadFromEnv), the workstation
 * from its core options; both default to the demo letterhead below, so the letter the consultant
 * exports and the one the practice downloads carry the same heading.
 */
export const letterheadSchema = z.object({
  serviceName: z.string().trim().min(1).max(200),
  organisation: z.string().trim().max(200).default(''),
  address: z.array(z.string().trim().min(1).max(200)).max(6).default([]),
  telephone: z.string().trim().max(50).default(''),
  email: z.string().trim().email().max(320).or(z.literal('')).default(''),
});
export type Letterhead = z.infer<typeof letterheadSchema>;

/** The demo service's letterhead (a made-up trust; the telephone number is an Ofcom drama number). */
export const DEMO_LETTERHEAD: Letterhead = {
  serviceName: 'Teledermatology Service (DermDesk demo)',
  organisation: 'Demo Hospitals NHS Foundation Trust',
  address: ['Dermatology Department', 'Demo General Hospital', 'Hospital Road', 'Exampleton', 'EX1 2MP'],
  telephone: '0113 496 0000',
  email: 'teledermatology@demo.invalid',
};

/**
 * The letterhead named by DERMDESK_LETTERHEAD (a JSON file of letterheadSchema's shape), or the
 * demo's when unset. A file that cannot be read or does not fit the shape stops the program at
 * start with the reason (a letter with a wrong heading must never be issued).
 */
export function letterheadFromEnv(env: NodeJS.ProcessEnv = process.env): Letterhead {
  const path = env['DERMDESK_LETTERHEAD'];
  if (!path) return DEMO_LETTERHEAD;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`DERMDESK_LETTERHEAD (${path}) could not be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = letterheadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `DERMDESK_LETTERHEAD (${path}) is not a letterhead: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
