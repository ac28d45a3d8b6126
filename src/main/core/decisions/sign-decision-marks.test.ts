import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDoc, type AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import { DECISION_WITH_MARKS_MAX_BYTES } from '../../../shared/domain/decision';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { signDecision } from './sign-decision';

/**
 * The marks a decision is signed with ride inside it only while the whole decision stays within
 * its budget (a sealed outbox entry must fit the hub's body limit): measured with the plan, not
 * the marks alone. A real core and SQLite file.
 */
const sha256 = 'ab'.repeat(32);
const consultant = { id: 'c-1', displayName: 'Dr Test' };
const signedAt = new Date('2026-11-30T09:00:00.000Z');
// A long freehand outline: ~25 KiB of marks, well inside the old marks-only limit (64 KiB).
const outline: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [
    {
      id: 'f-1',
      kind: 'freehand',
      color: '#ffd400',
      points: Array.from({ length: 1000 }, (_, i) => ({ x: 1000 + i * 1.5, y: 800 + (i % 40) * 2.25 })),
    },
  ],
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function caseWithMarks(): Promise<{ core: ReturnType<typeof makeTestCore>; caseId: string }> {
  const core = makeTestCore({ now: () => signedAt });
  cleanup = core.cleanup;
  const record = sampleCase({
    images: [
      { id: randomUUID(), sha256, bytes: 1000, mediaType: 'image/jpeg', width: 4000, height: 3000, kind: 'close-up' },
    ],
  });
  core.cases.upsert(record);
  await core.handlers['annotations.save']({ sha256, doc: outline, expectedRevision: 0 });
  return { core, caseId: record.id };
}

describe('marks signed with a decision', () => {
  it('ride with an ordinary decision', async () => {
    const { core, caseId } = await caseWithMarks();
    const decision = signDecision(core.db, { caseId, content: sampleDischarge(), consultant }, signedAt);
    expect(decision.marks).toEqual([{ sha256, doc: outline }]);
  });

  it('are left out when plan and marks together would pass the budget (control characters escape to 6 bytes each)', async () => {
    const { core, caseId } = await caseWithMarks();
    const long = '\u0001'.repeat(5000);
    const content = sampleDischarge();
    // ~160 KiB of plan JSON: inside the budget alone, over it with the ~25 KiB outline.
    const plan = {
      ...content.plan,
      firstLine: long,
      nextSteps: long,
      reReferral: long,
      safetyNetting: long,
      adviceToGp: '\u0001'.repeat(7000),
    };
    const decision = signDecision(core.db, { caseId, content: { ...content, plan }, consultant }, signedAt);
    expect(decision.marks).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify({ ...decision, marks: [{ sha256, doc: outline }] }))).toBeGreaterThan(
      DECISION_WITH_MARKS_MAX_BYTES,
    );
    expect(Buffer.byteLength(JSON.stringify(decision))).toBeLessThanOrEqual(DECISION_WITH_MARKS_MAX_BYTES);
  });
});
