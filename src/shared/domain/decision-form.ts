import { z } from 'zod';
import { appointmentModeSchema, moreInformationItems, type DecisionContent, type Outcome } from './decision';
import { diagnoses, diagnosisById, type DiagnosisEntry } from './diagnoses';
import { outcomeKinds } from './outcome-labels';
import { planTemplateById } from './plan-templates';
import { sevenPointScore, type SevenPointFeature } from './seven-point-checklist';

/**
 * What the decision form holds while the consultant works: every outcome's detail fields at once
 * (switching outcome loses nothing), the diagnosis as a list id or free text, and the 7-point
 * answers. This is what a draft saves; `formToContent` turns it into signable DecisionContent.
 */
const sevenPointFeatureSchema = z.enum([
  'changeInSize',
  'irregularShape',
  'irregularColour',
  'diameter7mmOrMore',
  'inflammation',
  'oozing',
  'changeInSensation',
]);

export const decisionFormSchema = z.object({
  outcomeKind: z
    .enum(outcomeKinds as [Outcome['kind'], ...Outcome['kind'][]])
    .nullable()
    .default(null),
  clinic: z.enum(['general', 'subspecialty']).default('general'),
  subspecialty: z.string().max(200).default(''),
  mode: appointmentModeSchema.default('in-person'),
  procedure: z.enum(['biopsy', 'skin-surgery']).default('biopsy'),
  urgency: z.enum(['urgent', 'routine']).default('routine'),
  specialty: z.string().max(200).default(''),
  weeks: z.number().int().min(1).max(52).default(6),
  requests: z.array(z.enum(moreInformationItems)).default([]),
  detail: z.string().max(2000).default(''),
  diagnosisId: z.string().max(100).nullable().default(null),
  diagnosisFreeText: z.string().max(300).default(''),
  templateId: z.string().max(100).nullable().default(null),
  plan: z
    .object({
      firstLine: z.string().max(5000).default(''),
      nextSteps: z.string().max(5000).default(''),
      reReferral: z.string().max(5000).default(''),
      safetyNetting: z.string().max(5000).default(''),
      adviceToGp: z.string().max(10000).default(''),
    })
    .default({ firstLine: '', nextSteps: '', reReferral: '', safetyNetting: '', adviceToGp: '' }),
  leaflets: z
    .array(z.object({ title: z.string().max(200), url: z.string().url() }))
    .max(20)
    .default([]),
  downgradeAdvice: z.string().max(2000).default(''),
  sevenPoint: z.partialRecord(sevenPointFeatureSchema, z.boolean()).nullable().default(null),
});
export type DecisionForm = z.infer<typeof decisionFormSchema>;

export function emptyDecisionForm(): DecisionForm {
  return decisionFormSchema.parse({});
}

export interface FormError {
  field: string;
  message: string;
}

function outcomeOf(form: DecisionForm): Outcome | FormError {
  switch (form.outcomeKind) {
    case null:
      return { field: 'outcome', message: 'Choose an outcome.' };
    case 'discharge':
    case 'suspected-cancer-pathway':
    case 'unable-to-assess-remotely':
      return { kind: form.outcomeKind };
    case 'routine-face-to-face': {
      const sub = form.subspecialty.trim();
      if (form.clinic === 'subspecialty' && !sub)
        return { field: 'subspecialty', message: 'Name the subspecialty clinic.' };
      return {
        kind: 'routine-face-to-face',
        clinic: form.clinic,
        subspecialty: form.clinic === 'subspecialty' ? sub : null,
        mode: form.mode,
      };
    }
    case 'urgent-face-to-face':
      return { kind: 'urgent-face-to-face', mode: form.mode };
    case 'procedure-list':
      return { kind: 'procedure-list', procedure: form.procedure, urgency: form.urgency };
    case 'onward-referral': {
      const specialty = form.specialty.trim();
      if (!specialty) return { field: 'specialty', message: 'Say which specialty to refer on to.' };
      return { kind: 'onward-referral', specialty };
    }
    case 'teledermatology-follow-up':
      return { kind: 'teledermatology-follow-up', weeks: form.weeks };
    case 'more-information': {
      if (form.requests.length === 0)
        return { field: 'requests', message: 'Tick what is needed: dermoscopy, scale, close-up, overview or history.' };
      const detail = form.detail.trim();
      if (!detail) return { field: 'detail', message: 'Say exactly what the referrer should send.' };
      return { kind: 'more-information', requests: form.requests, detail };
    }
  }
}

/** Turns the form into signable content, or says which field is missing. Pure. */
export function formToContent(
  form: DecisionForm,
): { ok: true; content: DecisionContent } | { ok: false; errors: FormError[] } {
  const outcome = outcomeOf(form);
  if ('field' in outcome) return { ok: false, errors: [outcome] };
  const entry = form.diagnosisId ? diagnosisById(form.diagnosisId) : undefined;
  const freeText = form.diagnosisFreeText.trim();
  const diagnosis = entry
    ? { snomedCode: entry.snomedCode, label: entry.label }
    : freeText
      ? { snomedCode: null, label: freeText }
      : null;
  const advice = form.downgradeAdvice.trim();
  return {
    ok: true,
    content: {
      outcome,
      diagnosis,
      plan: { ...form.plan, leaflets: form.leaflets },
      downgradeAdvice: advice ? advice : null,
      sevenPointScore: form.sevenPoint ? sevenPointScore(form.sevenPoint).score : null,
    },
  };
}

/** Picks a diagnosis from the list: its plan template and its BAD leaflet come with it. */
export function chooseDiagnosis(form: DecisionForm, entry: DiagnosisEntry): DecisionForm {
  const template = planTemplateById(entry.templateId);
  return {
    ...form,
    diagnosisId: entry.id,
    diagnosisFreeText: '',
    templateId: template ? template.id : form.templateId,
    plan: template ? { ...template.plan } : form.plan,
    leaflets: entry.leaflet ? [{ title: entry.leaflet.title, url: entry.leaflet.url }] : form.leaflets,
  };
}

/** Applies a plan template without touching the diagnosis. */
export function applyTemplate(form: DecisionForm, templateId: string): DecisionForm {
  const template = planTemplateById(templateId);
  return template ? { ...form, templateId, plan: { ...template.plan } } : form;
}

/** A signed decision's content back into a form, for an amendment. */
export function contentToForm(content: DecisionContent): DecisionForm {
  const form = emptyDecisionForm();
  const o = content.outcome;
  const base: DecisionForm = {
    ...form,
    outcomeKind: o.kind,
    plan: {
      firstLine: content.plan.firstLine,
      nextSteps: content.plan.nextSteps,
      reReferral: content.plan.reReferral,
      safetyNetting: content.plan.safetyNetting,
      adviceToGp: content.plan.adviceToGp,
    },
    leaflets: content.plan.leaflets,
    downgradeAdvice: content.downgradeAdvice ?? '',
  };
  if (content.diagnosis) {
    const label = content.diagnosis.label;
    const match = diagnoses.find((d) => d.label === label && d.snomedCode === content.diagnosis?.snomedCode);
    if (match) base.diagnosisId = match.id;
    else base.diagnosisFreeText = label;
  }
  if (o.kind === 'routine-face-to-face')
    Object.assign(base, { clinic: o.clinic, subspecialty: o.subspecialty ?? '', mode: o.mode });
  if (o.kind === 'urgent-face-to-face') base.mode = o.mode;
  if (o.kind === 'procedure-list') Object.assign(base, { procedure: o.procedure, urgency: o.urgency });
  if (o.kind === 'onward-referral') base.specialty = o.specialty;
  if (o.kind === 'teledermatology-follow-up') base.weeks = o.weeks;
  if (o.kind === 'more-information') Object.assign(base, { requests: o.requests, detail: o.detail });
  return base;
}

/** A draft read back from disk: anything unreadable becomes an empty form rather than an error. */
export function parseDraft(raw: unknown): { form: DecisionForm; recovered: boolean } {
  const result = decisionFormSchema.safeParse(raw);
  return result.success ? { form: result.data, recovered: false } : { form: emptyDecisionForm(), recovered: true };
}

export type { SevenPointFeature };
