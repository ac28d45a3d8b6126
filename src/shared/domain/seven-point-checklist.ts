/**
 * The weighted 7-point checklist (NICE NG12, recommendation 1.7.2) for a pigmented skin lesion.
 * Major features score 2 each, minor features 1 each; a total of 3 or more means referral on the
 * suspected cancer pathway for melanoma. It is an aid: the consultant's judgement decides.
 */
export const sevenPointMajor = ['changeInSize', 'irregularShape', 'irregularColour'] as const;
export const sevenPointMinor = ['diameter7mmOrMore', 'inflammation', 'oozing', 'changeInSensation'] as const;
export type SevenPointFeature = (typeof sevenPointMajor)[number] | (typeof sevenPointMinor)[number];
export type SevenPointAnswers = Partial<Record<SevenPointFeature, boolean>>;

export const SEVEN_POINT_REFER_AT = 3;

export const sevenPointLabels: Record<SevenPointFeature, string> = {
  changeInSize: 'Change in size',
  irregularShape: 'Irregular shape',
  irregularColour: 'Irregular colour',
  diameter7mmOrMore: 'Largest diameter 7 mm or more',
  inflammation: 'Inflammation',
  oozing: 'Oozing',
  changeInSensation: 'Change in sensation',
};

export interface SevenPointResult {
  score: number;
  suggestsSuspectedCancerPathway: boolean;
  /** What the score implies, in words for the form and the letter. */
  implication: string;
}

export function sevenPointScore(answers: SevenPointAnswers): SevenPointResult {
  let score = 0;
  for (const f of sevenPointMajor) if (answers[f] === true) score += 2;
  for (const f of sevenPointMinor) if (answers[f] === true) score += 1;
  const refer = score >= SEVEN_POINT_REFER_AT;
  return {
    score,
    suggestsSuspectedCancerPathway: refer,
    implication: refer
      ? `Score ${score} (3 or more): NICE NG12 advises referral on the suspected cancer pathway for melanoma.`
      : `Score ${score} (below 3): the checklist alone does not indicate the suspected cancer pathway; use clinical judgement and dermoscopy.`,
  };
}
