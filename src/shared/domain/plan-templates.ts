import { z } from 'zod';
import bundled from '../../../resources/plan-templates/templates.json' with { type: 'json' };

/** Editable management-plan templates per diagnosis (resources/plan-templates/templates.json). */
export const planTemplateSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  plan: z.object({
    firstLine: z.string(),
    nextSteps: z.string(),
    reReferral: z.string(),
    safetyNetting: z.string(),
    adviceToGp: z.string(),
  }),
});
export type PlanTemplate = z.infer<typeof planTemplateSchema>;

export const planTemplates: readonly PlanTemplate[] = z
  .object({ templates: z.array(planTemplateSchema) })
  .parse(bundled).templates;

export function planTemplateById(id: string): PlanTemplate | undefined {
  return planTemplates.find((t) => t.id === id);
}
