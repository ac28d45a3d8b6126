import { describe, expect, it } from 'vitest';
import { sevenPointScore } from './seven-point-checklist';

describe('weighted 7-point checklist (NICE NG12)', () => {
  it('scores nothing ticked as 0 and does not suggest the pathway', () => {
    expect(sevenPointScore({})).toMatchObject({ score: 0, suggestsSuspectedCancerPathway: false });
  });

  it('weights major features 2 and minor features 1', () => {
    expect(sevenPointScore({ changeInSize: true }).score).toBe(2);
    expect(sevenPointScore({ irregularShape: true, irregularColour: true }).score).toBe(4);
    expect(sevenPointScore({ oozing: true, inflammation: true }).score).toBe(2);
  });

  it('refers at exactly 3 (one major plus one minor) but not at 2', () => {
    const three = sevenPointScore({ irregularColour: true, diameter7mmOrMore: true });
    expect(three).toMatchObject({ score: 3, suggestsSuspectedCancerPathway: true });
    expect(three.implication).toMatch(/suspected cancer pathway/);
    expect(sevenPointScore({ diameter7mmOrMore: true, changeInSensation: true }).suggestsSuspectedCancerPathway).toBe(
      false,
    );
    expect(sevenPointScore({ inflammation: true, oozing: true, changeInSensation: true })).toMatchObject({
      score: 3,
      suggestsSuspectedCancerPathway: true,
    });
  });

  it('scores everything ticked as 10 and ignores false answers', () => {
    const all = sevenPointScore({
      changeInSize: true,
      irregularShape: true,
      irregularColour: true,
      diameter7mmOrMore: true,
      inflammation: true,
      oozing: true,
      changeInSensation: true,
    });
    expect(all.score).toBe(10);
    expect(sevenPointScore({ changeInSize: false, oozing: false }).score).toBe(0);
  });
});
