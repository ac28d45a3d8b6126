import Holidays from 'date-holidays';

/**
 * SLA maths for triage: a referral is due 3 working days after receipt, where working days skip
 * weekends and England and Wales bank holidays. Dates are calendar dates (YYYY-MM-DD) in
 * Europe/London, because "the third working day" is a UK calendar notion, not a UTC one.
 */
export const SLA_WORKING_DAYS = 3;

const englandAndWales = new Holidays('GB', 'ENG');
const bankHolidayCache = new Map<number, Set<string>>();

function bankHolidays(year: number): Set<string> {
  let set = bankHolidayCache.get(year);
  if (!set) {
    set = new Set(
      englandAndWales
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidayCache.set(year, set);
  }
  return set;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in London of an instant (ISO string or Date). */
export function londonDateOf(instant: string | Date): string {
  return londonDate.format(typeof instant === 'string' ? new Date(instant) : instant);
}

function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !bankHolidays(Number(date.slice(0, 4))).has(date);
}

export function addWorkingDays(date: string, count: number): string {
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current)) remaining -= 1;
  }
  return current;
}

/** Due date (London calendar date) of a referral received at `receivedAt`. */
export function dueDate(receivedAt: string, workingDays: number = SLA_WORKING_DAYS): string {
  return addWorkingDays(londonDateOf(receivedAt), workingDays);
}

/** Overdue once the London calendar date is past the due date. */
export function isOverdue(dueOn: string, now: Date): boolean {
  return londonDateOf(now) > dueOn;
}
