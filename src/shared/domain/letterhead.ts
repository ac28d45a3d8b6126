import { z } from 'zod';

/**
 * The service's letterhead and contact details, at the top of every outcome letter (PRSB
 * outpatient letter: "service" and "contact details"). One value for the whole service, kept by
 * the hub: it reads the JSON file named by DERMDESK_LETTERHEAD (common/letters/letterhead.ts) and
 * hands the letterhead to each workstation at sign-in, so the letter the consultant exports and
 * the one the practice downloads carry the same heading. Both default to the demo letterhead.
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
