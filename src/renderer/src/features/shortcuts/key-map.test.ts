import { describe, expect, it } from 'vitest';
import { outcomeKinds } from '../../../../shared/domain/outcome-labels';
import { bindingsFor, chordOf, commandFor, keyBindings, keyModes, outcomeKeys } from './key-map';
import { viewerCommandFor, type KeyInput } from '../../../../shared/domain/viewer/viewer-keys';

const press = (key: string, mods: Partial<{ ctrl: boolean; meta: boolean; alt: boolean; shift: boolean }> = {}) =>
  chordOf({
    key,
    ctrlKey: mods.ctrl ?? false,
    metaKey: mods.meta ?? false,
    altKey: mods.alt ?? false,
    shiftKey: mods.shift ?? false,
  });

describe('the window key map', () => {
  it('gives no chord two bindings in one mode', () => {
    for (const mode of keyModes) {
      const chords = bindingsFor(mode).map((b) => b.chord);
      const twice = chords.filter((c, i) => chords.indexOf(c) !== i);
      expect(twice, mode).toEqual([]);
    }
  });

  it('binds no key the viewer reads itself while the viewer has the focus', () => {
    for (const b of bindingsFor('viewer')) {
      // With compared images too (Tab is the viewer's then).
      expect(viewerCommandFor(keyInputOf(b.chord), 4), b.chord).toBeNull();
      expect(viewerCommandFor(keyInputOf(b.chord), 1), b.chord).toBeNull();
    }
    // And the case-mode letters the viewer also uses are exactly the ones the issue found.
    const shared = bindingsFor('case')
      .filter((b) => b.chord.length === 1 && viewerCommandFor(keyInputOf(b.chord), 1) !== null)
      .map((b) => b.chord)
      .sort();
    expect(shared).toEqual(['a', 'f', 'k', 'l', 'm', 'p', 'r', 't']);
  });

  it('r sets an outcome only in case mode; in the viewer the window leaves it to the viewer', () => {
    const r = press('r');
    expect(commandFor('case', r, { typing: false, inDialog: false })).toBe('decision.outcome:routine-face-to-face');
    expect(commandFor('viewer', r, { typing: false, inDialog: false })).toBeNull();
    for (const letter of ['r', 'm', 'a', 'f', 't', 'l', 'p', 'k'])
      expect(commandFor('viewer', press(letter), { typing: false, inDialog: false }), letter).toBeNull();
  });

  it('lists each mode: outcomes only for the case, the chords shared by both', () => {
    const caseCommands = bindingsFor('case').map((b) => b.command);
    const viewerCommands = bindingsFor('viewer').map((b) => b.command);
    for (const kind of outcomeKinds) {
      expect(caseCommands).toContain(`decision.outcome:${kind}`);
      expect(viewerCommands).not.toContain(`decision.outcome:${kind}`);
    }
    for (const shared of ['app.palette', 'app.shortcuts', 'decision.sign', 'app.lock', 'sync.run', 'app.next-area'])
      expect(viewerCommands, shared).toContain(shared);
    expect(viewerCommands.every((c) => caseCommands.includes(c))).toBe(true);
  });

  it('gives every outcome its own key, distinct from every other case-mode key', () => {
    const keys = outcomeKinds.map((k) => outcomeKeys[k]);
    expect(new Set(keys).size).toBe(outcomeKinds.length);
    const others = bindingsFor('case').filter((b) => !b.command.startsWith('decision.outcome:'));
    for (const b of others) expect(keys).not.toContain(b.chord);
  });

  it('never lets a single letter fire in a text field or a dialog; chords with Ctrl do', () => {
    for (const b of keyBindings.filter((x) => x.chord.length === 1)) {
      expect(commandFor('case', b.chord, { typing: true, inDialog: false }), b.chord).toBeNull();
      expect(commandFor('case', b.chord, { typing: false, inDialog: true }), b.chord).toBeNull();
    }
    expect(commandFor('case', press('Enter', { ctrl: true }), { typing: true, inDialog: false })).toBe('decision.sign');
    expect(commandFor('case', press('k', { meta: true }), { typing: true, inDialog: true })).toBe('app.palette');
    expect(commandFor('viewer', press('l', { ctrl: true }), { typing: false, inDialog: true })).toBe('app.lock');
  });

  it('normalises chords: Cmd is Ctrl, typed characters keep their Shift, named keys spell it', () => {
    expect(press('k', { meta: true })).toBe('Ctrl+k');
    expect(press('S', { ctrl: true, shift: true })).toBe('Ctrl+Shift+s');
    expect(press('?', { shift: true })).toBe('?');
    expect(press('R', { shift: true })).toBe('R');
    expect(press('F6', { shift: true })).toBe('Shift+F6');
    expect(press('Enter', { ctrl: true })).toBe('Ctrl+Enter');
    expect(commandFor('case', press('S', { ctrl: true, shift: true }), { typing: false, inDialog: false })).toBe(
      'sync.run',
    );
  });
});

/** The key event a chord stands for (inverse of chordOf, for the bindings in the map). */
function keyInputOf(chord: string): KeyInput {
  const parts = chord.split('+');
  const key = parts.length > 1 && parts.at(-1) === '' ? '+' : (parts.at(-1) ?? '');
  const mods = new Set(parts.slice(0, -1));
  const shift = mods.has('Shift') || (key.length === 1 && key !== key.toLowerCase()) || key === '?';
  return {
    key: mods.has('Shift') && key.length === 1 ? key.toUpperCase() : key,
    ctrlKey: mods.has('Ctrl'),
    metaKey: false,
    altKey: mods.has('Alt'),
    shiftKey: shift,
  };
}
