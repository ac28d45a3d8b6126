import { describe, expect, it } from 'vitest';
import { outcomeKinds } from '../../../../shared/domain/outcome-labels';
import { outcomeKeys, shortcuts, singleKeyCommands } from './shortcuts';

describe('shortcuts', () => {
  it('gives every outcome its own key, distinct from every other single-key shortcut', () => {
    const keys = outcomeKinds.map((k) => outcomeKeys[k]);
    expect(new Set(keys).size).toBe(outcomeKinds.length);
    for (const kind of outcomeKinds) expect(singleKeyCommands.get(outcomeKeys[kind])).toBe(`decision.outcome:${kind}`);
    const nonOutcome = [...singleKeyCommands.entries()].filter(([, c]) => !c.startsWith('decision.outcome:'));
    for (const [key] of nonOutcome) expect(keys).not.toContain(key);
  });

  it('lists every single-key command on the shortcuts sheet', () => {
    const listed = new Set(shortcuts.map((s) => s.command));
    for (const command of singleKeyCommands.values()) expect(listed.has(command), command).toBe(true);
  });
});
