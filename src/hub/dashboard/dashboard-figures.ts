import type { OutcomeKind, Outcome } from '../../shared/domain/decision';
import { outcomeLabels } from '../../shared/domain/outcome-labels';
import { isOverdue } from '../../shared/domain/working-days';
import type { Dashboard } from '../../shared/hub-api/dashboard-api';

export interface CaseFacts {
  receivedAt: string;
  dueOn: string;
  status: 'open' | 'awaiting-information' | 'decided' | 'withdrawn';
  /** Every decision on the case, oldest first. */
  outcomes: Outcome[];
}

const IMAGE_REQUESTS = new Set(['dermoscopy', 'scale', 'close-up', 'overview']);

/** Pure: the dashboard's figures from the cases' facts. */
export function dashboardFigures(
  cases: CaseFacts[],
  uploadChecks: { total: number; retakesAsked: number },
  feedback: { total: number; averageRating: number | null },
  now: Date,
): Dashboard {
  const weekAgo = now.getTime() - 7 * 86_400_000;
  const awaiting = cases.filter((c) => c.status === 'open');
  const mix = new Map<OutcomeKind, number>();
  let decidedOnce = 0;
  let imageReturns = 0;
  for (const c of cases) {
    const last = c.outcomes.at(-1);
    if (last) mix.set(last.kind, (mix.get(last.kind) ?? 0) + 1);
    if (c.outcomes.length > 0) decidedOnce += 1;
    if (c.outcomes.some((o) => o.kind === 'more-information' && o.requests.some((r) => IMAGE_REQUESTS.has(r))))
      imageReturns += 1;
  }
  return {
    generatedAt: now.toISOString(),
    received: {
      total: cases.length,
      last7Days: cases.filter((c) => new Date(c.receivedAt).getTime() >= weekAgo).length,
    },
    awaitingTriage: awaiting.length,
    overdue: awaiting.filter((c) => isOverdue(c.dueOn, now)).length,
    awaitingInformation: cases.filter((c) => c.status === 'awaiting-information').length,
    decided: cases.filter((c) => c.status === 'decided').length,
    outcomeMix: [...mix.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([kind, count]) => ({ kind, label: outcomeLabels[kind], count })),
    imageQualityReturnRate: decidedOnce === 0 ? 0 : imageReturns / decidedOnce,
    imageQualityReturns: imageReturns,
    uploadChecks,
    feedback,
  };
}
