/**
 * The app's clock. Everything that turns "now" into a due date, an overdue mark or a lock
 * deadline takes a `Clock` rather than calling `new Date()`, so tests (and a demo) can set the
 * date the app believes it is without touching the machine's clock.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * A clock that reads `start` at the moment it is made and then advances with real time, so
 * timers, idle locks and "saved 2 s ago" keep behaving while the calendar is fixed. `realNow`
 * is injectable for the clock's own tests.
 */
export function clockStartingAt(start: string | Date, realNow: () => number = Date.now): Clock {
  const startMs = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (!Number.isFinite(startMs)) throw new Error(`Not a date and time: ${String(start)}`);
  const madeAt = realNow();
  return () => new Date(startMs + (realNow() - madeAt));
}
