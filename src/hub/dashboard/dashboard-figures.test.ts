import { describe, expect, it } from 'vitest';
import { dashboardFigures, type CaseFacts } from './dashboard-figures';

const moreInfo = (requests: ('dermoscopy' | 'history' | 'scale')[]) => ({
  kind: 'more-information' as const,
  requests,
  detail: 'x',
});

describe('dashboard figures', () => {
  it('counts overdue against 3 England-and-Wales working days and the outcome mix by latest decision', () => {
    // Friday 18 Dec 2026 → due Wednesday 23 Dec; on Thursday 24 Dec it is overdue.
    const now = new Date('2026-12-24T12:00:00Z');
    const cases: CaseFacts[] = [
      { receivedAt: '2026-12-18T10:00:00Z', dueOn: '2026-12-23', status: 'open', outcomes: [] },
      { receivedAt: '2026-12-23T10:00:00Z', dueOn: '2026-12-30', status: 'open', outcomes: [] },
      {
        receivedAt: '2026-12-01T10:00:00Z',
        dueOn: '2026-12-04',
        status: 'decided',
        outcomes: [moreInfo(['dermoscopy']), { kind: 'discharge' }],
      },
      {
        receivedAt: '2026-12-02T10:00:00Z',
        dueOn: '2026-12-07',
        status: 'awaiting-information',
        outcomes: [moreInfo(['history'])],
      },
      {
        receivedAt: '2026-12-03T10:00:00Z',
        dueOn: '2026-12-08',
        status: 'decided',
        outcomes: [{ kind: 'suspected-cancer-pathway' }],
      },
    ];
    const d = dashboardFigures(cases, { total: 10, retakesAsked: 3 }, { total: 0, averageRating: null }, now);
    expect(d.received).toEqual({ total: 5, last7Days: 2 });
    expect(d.awaitingTriage).toBe(2);
    expect(d.overdue).toBe(1);
    expect(d.awaitingInformation).toBe(1);
    expect(d.decided).toBe(2);
    expect(d.outcomeMix.map((m) => [m.kind, m.count])).toEqual([
      ['discharge', 1],
      ['more-information', 1],
      ['suspected-cancer-pathway', 1],
    ]);
    // Only the dermoscopy request is an image-quality return; a history request is not.
    expect(d.imageQualityReturns).toBe(1);
    expect(d.imageQualityReturnRate).toBeCloseTo(1 / 3);
  });

  it('is all zeros for an empty service', () => {
    const d = dashboardFigures(
      [],
      { total: 0, retakesAsked: 0 },
      { total: 0, averageRating: null },
      new Date('2026-11-23T12:00:00Z'),
    );
    expect(d).toMatchObject({ awaitingTriage: 0, overdue: 0, imageQualityReturnRate: 0, outcomeMix: [] });
  });
});
