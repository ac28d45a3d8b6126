import { describe, expect, it } from 'vitest';
import type { DashboardAggregates } from '../store/hub-repository';
import { dashboardFigures } from './dashboard-figures';

const empty: DashboardAggregates = {
  received: { total: 0, last7Days: 0 },
  awaitingTriage: 0,
  overdue: 0,
  awaitingInformation: 0,
  decided: 0,
  outcomeMix: [],
  decidedOnce: 0,
  imageQualityReturns: 0,
  turnaround: { overall: null, byPractice: [], byConsultant: [] },
};
const names = { practices: new Map([['B82005', 'Riverside']]), consultants: new Map([['u1', 'Dr Ada']]) };
const now = new Date('2026-11-23T12:00:00Z');

describe('dashboard figures (labels and shares over the database aggregates)', () => {
  it('labels the outcome mix (most first), shares the image returns and the within-target turnaround', () => {
    const row = { decided: 4, medianHours: 20, p90Hours: 70, withinTarget: 3 };
    const d = dashboardFigures(
      {
        ...empty,
        outcomeMix: [
          { kind: 'suspected-cancer-pathway', count: 1 },
          { kind: 'discharge', count: 2 },
          { kind: 'not-a-kind', count: 9 },
        ],
        decidedOnce: 3,
        imageQualityReturns: 1,
        turnaround: {
          overall: { key: 'all', ...row },
          byPractice: [{ key: 'B82005', ...row }],
          byConsultant: [{ key: 'u1', ...row }],
        },
      },
      { total: 10, retakesAsked: 3 },
      { total: 0, averageRating: null },
      names,
      now,
    );
    expect(d.outcomeMix.map((m) => [m.kind, m.count])).toEqual([
      ['discharge', 2],
      ['suspected-cancer-pathway', 1],
    ]);
    expect(d.imageQualityReturnRate).toBeCloseTo(1 / 3);
    expect(d.turnaround.byPractice[0]).toMatchObject({ label: 'Riverside', withinTargetShare: 0.75, p90Hours: 70 });
    expect(d.turnaround.byConsultant[0]).toMatchObject({ label: 'Dr Ada', medianHours: 20 });
  });

  it('is all zeros for an empty service', () => {
    const d = dashboardFigures(empty, { total: 0, retakesAsked: 0 }, { total: 0, averageRating: null }, names, now);
    expect(d).toMatchObject({ awaitingTriage: 0, overdue: 0, imageQualityReturnRate: 0, outcomeMix: [] });
    expect(d.turnaround).toEqual({ overall: null, byPractice: [], byConsultant: [] });
  });
});
