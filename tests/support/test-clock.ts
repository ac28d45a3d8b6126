import { clockStartingAt, type Clock } from '../../src/shared/domain/clock';

/**
 * The instant every test that involves the calendar starts at: a Monday 09:00 in London with no
 * bank holiday in the three weeks before it, so "received N days ago" gives the same due dates
 * and overdue marks whatever day the suite runs. The e2e fixture's `clockStart` defaults to it,
 * and hubs started beside the app take the same clock.
 */
export const TEST_CLOCK_START = '2026-11-30T09:00:00.000Z';

/** A clock that starts at TEST_CLOCK_START (or `start`) and ticks on with real time. */
export function testClock(start: string = TEST_CLOCK_START): Clock {
  return clockStartingAt(start);
}

/** `days` days before the test clock's start, as an ISO instant. */
export function daysBeforeTestStart(days: number, start: string = TEST_CLOCK_START): string {
  return new Date(Date.parse(start) - days * 86_400_000).toISOString();
}
