import { z } from 'zod';
import { caseSummarySchema } from '../domain/case';
import { method } from './define';

export const worklistQuerySchema = z
  .object({
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export const worklistMethods = {
  'worklist.list': method(
    worklistQuerySchema,
    z.object({ total: z.number().int(), cases: z.array(caseSummarySchema) }),
    'Cached cases sorted by clinical priority then SLA due date.',
  ),
};
