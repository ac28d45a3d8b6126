import { describe, expect, it } from 'vitest';
import { clockStartingAt } from './clock';

describe('clockStartingAt', () => {
  it('starts at the given instant and advances with real time', () => {
    let real = 1_000_000;
    const clock = clockStartingAt('2026-11-20T09:00:00.000Z', () => real);
    expect(clock().toISOString()).toBe('2026-11-20T09:00:00.000Z');
    real += 90_000;
    expect(clock().toISOString()).toBe('2026-11-20T09:01:30.000Z');
  });

  it('refuses something that is not a date, naming it', () => {
    expect(() => clockStartingAt('next Tuesday')).toThrow('Not a date and time: next Tuesday');
  });
});
