import { describe, expect, it } from 'vitest';
import type { CaseRow } from './hub-repository';
import { judgeAccess } from './decision-rules';

const row = (over: Partial<CaseRow>): CaseRow =>
  ({
    record: { version: 1 },
    status: 'open',
    assignedTo: 'me',
    leaseExpiresAt: '2026-11-24T10:00:00.000Z',
    dueOn: '2026-11-26',
    ...over,
  }) as CaseRow;
const now = '2026-11-24T09:00:00.000Z';

describe('judgeAccess', () => {
  it('a leased open case is mine until the lease lapses; a decided one stays mine', () => {
    expect(judgeAccess(row({}), 'me', true, now)).toBe('mine');
    expect(judgeAccess(row({ leaseExpiresAt: now }), 'me', true, now)).toBe('reassigned');
    expect(judgeAccess(row({ status: 'decided', leaseExpiresAt: null }), 'me', true, now)).toBe('mine');
    expect(judgeAccess(row({ status: 'awaiting-information', leaseExpiresAt: null }), 'me', true, now)).toBe('mine');
  });

  it('says why a case is no longer mine, but reveals nothing about cases never mine', () => {
    expect(judgeAccess(row({ status: 'withdrawn' }), 'me', true, now)).toBe('withdrawn');
    expect(judgeAccess(row({ assignedTo: 'other' }), 'me', true, now)).toBe('reassigned');
    expect(judgeAccess(row({ assignedTo: null, leaseExpiresAt: null }), 'me', true, now)).toBe('reassigned');
    expect(judgeAccess(row({ assignedTo: 'other' }), 'me', false, now)).toBe('not-found');
    expect(judgeAccess(row({ status: 'withdrawn', assignedTo: 'other' }), 'me', false, now)).toBe('not-found');
    expect(judgeAccess(null, 'me', false, now)).toBe('not-found');
  });
});
