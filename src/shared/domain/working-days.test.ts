import { describe, expect, it } from 'vitest';
import { addWorkingDays, dueDate, isOverdue, isWorkingDay, londonDateOf } from './working-days';

describe('SLA working days (England and Wales)', () => {
  it('skips weekends', () => {
    // Friday 20 Nov 2026 + 3 working days = Wednesday 25 Nov.
    expect(dueDate('2026-11-20T09:30:00.000Z')).toBe('2026-11-25');
    // Received on a Saturday: Mon, Tue, Wed.
    expect(dueDate('2026-11-21T12:00:00.000Z')).toBe('2026-11-25');
  });

  it('skips Christmas 2026 and the Boxing Day substitute (Mon 28 Dec)', () => {
    // 25 Dec 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28 Dec is the substitute.
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(false);
    expect(isWorkingDay('2026-12-29')).toBe(true);
    // Thu 24 Dec: skip Fri 25, Sat, Sun, Mon 28 → Tue 29, Wed 30, Thu 31.
    expect(dueDate('2026-12-24T10:00:00.000Z')).toBe('2026-12-31');
    // Across New Year: Wed 30 Dec → Thu 31, (Fri 1 Jan holiday), Mon 4, Tue 5.
    expect(dueDate('2026-12-30T10:00:00.000Z')).toBe('2027-01-05');
  });

  it('skips Easter 2027 (Good Friday 26 March, Easter Monday 29 March)', () => {
    expect(isWorkingDay('2027-03-26')).toBe(false);
    expect(isWorkingDay('2027-03-29')).toBe(false);
    // Thu 25 Mar → Tue 30, Wed 31, Thu 1 Apr.
    expect(dueDate('2027-03-25T10:00:00.000Z')).toBe('2027-04-01');
  });

  it('uses the London calendar date, not UTC (BST evening receipt)', () => {
    // 23:30 UTC on Wed 1 July 2026 is 00:30 Thu 2 July in London.
    expect(londonDateOf('2026-07-01T23:30:00.000Z')).toBe('2026-07-02');
    expect(dueDate('2026-07-01T23:30:00.000Z')).toBe('2026-07-07');
  });

  it('counts zero working days as the same day and is overdue only after the due date', () => {
    expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(isOverdue('2026-11-25', new Date('2026-11-25T22:00:00.000Z'))).toBe(false);
    expect(isOverdue('2026-11-25', new Date('2026-11-26T09:00:00.000Z'))).toBe(true);
  });
});
