import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCaseStates, type LocalCaseState } from '../../../shared/domain/case';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { passOnCase } from '../cases/pass-on';
import { signDecision } from '../decisions/sign-decision';
import { caseTransitions, moveCase, moveCaseOfDecision, nextCaseState, type CaseEvent } from './case-state';

const consultant = { id: 'c-1', displayName: 'Dr Test' };

describe('nextCaseState (pure)', () => {
  // The whole table, written out: every event from every state. Changing a transition means
  // changing a row here, on purpose.
  const M = (to: LocalCaseState) => `→ ${to}`;
  const K = 'keep';
  const R = 'refuse';
  const expected: Record<CaseEvent, Record<LocalCaseState, string>> = {
    // prettier-ignore
    'draft-saved': { new: M('draft'), draft: K, 'signed-pending-sync': K, synced: K, 'needs-review': K, rejected: K, withdrawn: K, 'passed-on': K },
    // prettier-ignore
    'draft-discarded': { new: K, draft: M('new'), 'signed-pending-sync': K, synced: K, 'needs-review': K, rejected: K, withdrawn: K, 'passed-on': K },
    // prettier-ignore
    'decision-signed': { new: M('signed-pending-sync'), draft: M('signed-pending-sync'), 'signed-pending-sync': M('signed-pending-sync'), synced: M('signed-pending-sync'), 'needs-review': M('signed-pending-sync'), rejected: M('signed-pending-sync'), withdrawn: R, 'passed-on': R },
    // prettier-ignore
    'passed-on': { new: M('passed-on'), draft: M('passed-on'), 'signed-pending-sync': R, synced: R, 'needs-review': R, rejected: R, withdrawn: R, 'passed-on': R },
    // prettier-ignore
    'hub-accepted': { new: K, draft: K, 'signed-pending-sync': M('synced'), synced: K, 'needs-review': M('synced'), rejected: M('synced'), withdrawn: K, 'passed-on': K },
    // prettier-ignore
    'hub-needs-review': { new: M('needs-review'), draft: M('needs-review'), 'signed-pending-sync': M('needs-review'), synced: M('needs-review'), 'needs-review': M('needs-review'), rejected: M('needs-review'), withdrawn: M('needs-review'), 'passed-on': M('needs-review') },
    // prettier-ignore
    'hub-rejected': { new: M('rejected'), draft: M('rejected'), 'signed-pending-sync': M('rejected'), synced: M('rejected'), 'needs-review': M('rejected'), rejected: M('rejected'), withdrawn: M('rejected'), 'passed-on': M('rejected') },
    // prettier-ignore
    'decision-outdated': { new: M('needs-review'), draft: M('needs-review'), 'signed-pending-sync': M('needs-review'), synced: M('needs-review'), 'needs-review': M('needs-review'), rejected: M('needs-review'), withdrawn: M('needs-review'), 'passed-on': M('needs-review') },
    // prettier-ignore
    'information-answered': { new: K, draft: K, 'signed-pending-sync': K, synced: M('new'), 'needs-review': K, rejected: K, withdrawn: K, 'passed-on': K },
    // prettier-ignore
    'withdrawn-by-referrer': { new: M('withdrawn'), draft: M('withdrawn'), 'signed-pending-sync': M('withdrawn'), synced: M('withdrawn'), 'needs-review': M('withdrawn'), rejected: M('withdrawn'), withdrawn: M('withdrawn'), 'passed-on': M('withdrawn') },
  };

  it('names every event and answers for every state', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(caseTransitions).sort());
    for (const event of Object.keys(caseTransitions) as CaseEvent[]) {
      const actual = Object.fromEntries(
        localCaseStates.map((state) => {
          const step = nextCaseState(state, event);
          return [state, step.kind === 'move' ? M(step.to) : step.kind === 'keep' ? K : R];
        }),
      );
      expect({ event, ...actual }).toEqual({ event, ...expected[event] });
    }
  });

  it('refuses with a message the consultant can act on', () => {
    expect(nextCaseState('passed-on', 'decision-signed')).toMatchObject({
      kind: 'refuse',
      message: expect.stringMatching(/no longer on your worklist/),
    });
    expect(nextCaseState('synced', 'passed-on')).toMatchObject({
      kind: 'refuse',
      message: expect.stringMatching(/no signed decision/),
    });
  });

  it('says what happens to the note', () => {
    expect(nextCaseState('new', 'draft-saved')).toEqual({ kind: 'move', to: 'draft', note: 'keep' });
    expect(nextCaseState('rejected', 'hub-accepted')).toEqual({ kind: 'move', to: 'synced', note: 'clear' });
    expect(nextCaseState('new', 'withdrawn-by-referrer')).toEqual({ kind: 'move', to: 'withdrawn', note: 'set' });
    expect(nextCaseState('synced', 'information-answered')).toEqual({ kind: 'move', to: 'new', note: 'set' });
  });
});

describe('moveCase (on a real cache)', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore();
  });
  afterEach(() => core.cleanup());

  const stateOf = (id: string) =>
    core.db.prepare('SELECT state, state_note FROM cases WHERE id = ?').get(id) as {
      state: string;
      state_note: string | null;
    };

  it('moves, keeps and writes the note as the table says', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    expect(moveCase(core.db, record.id, 'draft-discarded')).toBe('new');
    expect(stateOf(record.id)).toEqual({ state: 'new', state_note: null });
    expect(moveCase(core.db, record.id, 'withdrawn-by-referrer', 'Withdrawn by the practice')).toBe('withdrawn');
    expect(stateOf(record.id)).toEqual({ state: 'withdrawn', state_note: 'Withdrawn by the practice' });
    expect(moveCase(core.db, 'no-such-case', 'draft-saved')).toBeNull();
  });

  it('a refused event throws a conflict and the transaction that caused it leaves nothing behind', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    moveCase(core.db, record.id, 'withdrawn-by-referrer', 'Withdrawn');
    expect(() =>
      signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, new Date()),
    ).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(() =>
      passOnCase(
        core.db,
        {
          caseId: record.id,
          actor: consultant.id,
          note: 'For the lesion clinic',
          to: { kind: 'subspecialty', subspecialty: 'skin-surgery' },
        },
        new Date(),
      ),
    ).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(stateOf(record.id).state).toBe('withdrawn');
  });

  it('finds the case of a decision for the outbox', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    const decision = signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, new Date());
    expect(moveCaseOfDecision(core.db, decision.id, 'hub-accepted')).toBe('synced');
    expect(moveCaseOfDecision(core.db, 'no-such-decision', 'hub-accepted')).toBeNull();
  });
});

describe('every write of cases.state goes through case-state.ts', () => {
  it('has no other UPDATE of the state column in the core', () => {
    const coreDir = join(__dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          // Frozen migrations build the table; they are history, not writers.
          if (name !== 'migrations') walk(path);
        } else if (
          /\.ts$/.test(name) &&
          !/\.test\.ts$/.test(name) &&
          path !== __filename.replace(/\.test\.ts$/, '.ts')
        ) {
          const sql = readFileSync(path, 'utf8');
          if (/UPDATE\s+cases\s+SET[^`'"]*\bstate\s*=/i.test(sql)) offenders.push(relative(coreDir, path));
        }
      }
    };
    walk(coreDir);
    expect(offenders).toEqual([]);
  });
});
