import type { OutcomeKind } from '../../shared/domain/decision';
import { outcomeLabels } from '../../shared/domain/outcome-labels';
import type { Dashboard, TurnaroundFigure } from '../../shared/hub-api/dashboard-api';
import type { DashboardAggregates, TurnaroundRow } from '../store/hub-repository';

function figure(row: TurnaroundRow, label: string): TurnaroundFigure {
  return {
    key: row.key,
    label,
    decided: row.decided,
    medianHours: row.medianHours,
    p90Hours: row.p90Hours,
    withinTargetShare: row.decided === 0 ? 0 : row.withinTarget / row.decided,
  };
}

/**
 * Pure: the dashboard from what the database aggregated (store/kysely/dashboard-store.ts) plus
 * names for practices and consultants; labels, shares and order only, no counting here.
 */
export function dashboardFigures(
  agg: DashboardAggregates,
  uploadChecks: { total: number; retakesAsked: number },
  feedback: { total: number; averageRating: number | null },
  names: { practices: Map<string, string>; consultants: Map<string, string> },
  now: Date,
): Dashboard {
  return {
    generatedAt: now.toISOString(),
    received: agg.received,
    awaitingTriage: agg.awaitingTriage,
    overdue: agg.overdue,
    awaitingInformation: agg.awaitingInformation,
    decided: agg.decided,
    outcomeMix: agg.outcomeMix
      .filter((m): m is { kind: OutcomeKind; count: number } => m.kind in outcomeLabels)
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind))
      .map(({ kind, count }) => ({ kind, label: outcomeLabels[kind], count })),
    imageQualityReturnRate: agg.decidedOnce === 0 ? 0 : agg.imageQualityReturns / agg.decidedOnce,
    imageQualityReturns: agg.imageQualityReturns,
    uploadChecks,
    feedback,
    turnaround: {
      overall: agg.turnaround.overall ? figure(agg.turnaround.overall, 'All cases') : null,
      byPractice: agg.turnaround.byPractice.map((r) => figure(r, names.practices.get(r.key) ?? r.key)),
      byConsultant: agg.turnaround.byConsultant.map((r) => figure(r, names.consultants.get(r.key) ?? 'Unknown')),
    },
  };
}
