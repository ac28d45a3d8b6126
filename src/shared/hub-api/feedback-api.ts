import { z } from 'zod';

/** POST /api/v1/feedback (no login: patients and practices alike); GET /api/v1/feedback (operator). */
export const feedbackRequestSchema = z.object({
  source: z.enum(['patient', 'practice']),
  rating: z.number().int().min(1, 'choose a rating from 1 to 5').max(5),
  comment: z.string().trim().max(2000),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
export const feedbackReportSchema = z.object({
  total: z.number().int(),
  averageRating: z.number().nullable(),
  rows: z.array(
    z.object({
      at: z.string(),
      source: z.string(),
      odsCode: z.string().nullable(),
      rating: z.number().int(),
      comment: z.string(),
    }),
  ),
});
