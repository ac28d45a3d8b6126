import { z } from 'zod';
import { outcomeKinds } from '../domain/outcome-labels';

/** GET /api/v1/dashboard (operator): the service's figures at a glance. */
const outcomeKindSchema = z.enum(outcomeKinds as [string, ...string[]]);

/** Receipt to first decision for one group: nearest-rank median and 90th percentile, in hours. */
export const turnaroundFigureSchema = z.object({
  key: z.string(),
  label: z.string(),
  decided: z.number().int(),
  medianHours: z.number(),
  p90Hours: z.number(),
  /** Share first decided by the due date (3 England-and-Wales working days). */
  withinTargetShare: z.number().min(0).max(1),
});
export type TurnaroundFigure = z.infer<typeof turnaroundFigureSchema>;

export const dashboardSchema = z.object({
  generatedAt: z.string().datetime(),
  received: z.object({ total: z.number().int(), last7Days: z.number().int() }),
  /** Open cases not yet decided (in the pool or leased). */
  awaitingTriage: z.number().int(),
  /** Awaiting triage past the 3-working-day target (England and Wales working days). */
  overdue: z.number().int(),
  awaitingInformation: z.number().int(),
  decided: z.number().int(),
  /** Latest decision per case, by outcome kind. */
  outcomeMix: z.array(z.object({ kind: outcomeKindSchema, label: z.string(), count: z.number().int() })),
  /** Cases returned for better or more images, over cases decided at least once. */
  imageQualityReturnRate: z.number().min(0).max(1),
  imageQualityReturns: z.number().int(),
  /** Web-form uploads that failed the quality check and were asked for a retake. */
  uploadChecks: z.object({ total: z.number().int(), retakesAsked: z.number().int() }),
  feedback: z.object({ total: z.number().int(), averageRating: z.number().nullable() }),
  turnaround: z.object({
    overall: turnaroundFigureSchema.nullable(),
    byPractice: z.array(turnaroundFigureSchema),
    byConsultant: z.array(turnaroundFigureSchema),
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
