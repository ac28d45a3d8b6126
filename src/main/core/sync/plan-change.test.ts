import { describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/hub-api/consultant-api';
import { planChange, type LocalCaseFacts } from './plan-change';

const change = (kind: Change['kind'], version = 2): Change => ({
  seq: 1,
  caseId: '7d3c3a4e-8f4b-4a51-9d2a-3f1c2b7e9a10',
  kind,
  version,
  at: '2026-11-23T10:00:00.000Z',
});
const cached = (over: Partial<LocalCaseFacts> = {}): LocalCaseFacts => ({
  cached: true,
  state: 'new',
  hubVersion: 1,
  unsyncedDecision: null,
  ...over,
});
const pending = { id: 'd1', caseVersion: 1 };

describe('planChange', () => {
  it('ignores changes for cases not in the cache', () => {
    expect(planChange(change('withdrawn'), cached({ cached: false, hubVersion: null, state: null }))).toEqual({
      kind: 'ignore',
    });
  });

  it('withdrawn: marks the case, and says so when a decision is still unsent', () => {
    expect(planChange(change('withdrawn'), cached())).toMatchObject({
      kind: 'withdraw',
      note: 'The referrer withdrew this case.',
    });
    expect(planChange(change('withdrawn'), cached({ unsyncedDecision: pending }))).toMatchObject({
      kind: 'withdraw',
      note: expect.stringMatching(/kept here/),
    });
  });

  it('updated: refreshes a newer version, ignores an old one, reviews a decision on an older version', () => {
    expect(planChange(change('updated', 2), cached())).toEqual({ kind: 'refresh', version: 2 });
    expect(planChange(change('updated', 1), cached({ hubVersion: 2 }))).toEqual({ kind: 'ignore' });
    expect(planChange(change('updated', 3), cached({ hubVersion: 1, unsyncedDecision: pending }))).toMatchObject({
      kind: 'needs-review',
      refresh: true,
      version: 3,
    });
    // Already refreshed (e.g. by the download step) but the decision is still on version 1.
    expect(planChange(change('updated', 2), cached({ hubVersion: 2, unsyncedDecision: pending }))).toMatchObject({
      kind: 'needs-review',
      refresh: false,
    });
  });

  it('reassigned: removes a case without an unsent decision, otherwise keeps it for review', () => {
    expect(planChange(change('reassigned'), cached())).toEqual({ kind: 'remove' });
    expect(planChange(change('reassigned'), cached({ unsyncedDecision: pending }))).toMatchObject({
      kind: 'needs-review',
    });
  });
});
