import { describe, expect, it } from 'vitest';
import { viewerCommandFor, viewerKeyBindings } from './viewer-keys';
import {
  initialWorkspace,
  overlayShown,
  overlayTransform,
  workspaceReducer,
  type WorkspaceAction,
  type WorkspaceState,
} from './workspace-state';

const run = (s: WorkspaceState, ...actions: WorkspaceAction[]): WorkspaceState => actions.reduce(workspaceReducer, s);
const key = (
  k: string,
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('workspace state', () => {
  it('starts on select, locked, pixelated, neutral, on the first image', () => {
    expect(initialWorkspace(2)).toMatchObject({ tool: 'select', locked: true, pixelated: true, active: 0 });
  });

  it('Tab cycles the compared images; one image stays put', () => {
    expect(
      run(initialWorkspace(3), { type: 'next-image' }, { type: 'next-image' }, { type: 'next-image' }).active,
    ).toBe(0);
    expect(run(initialWorkspace(3), { type: 'next-image' }).active).toBe(1);
    expect(run(initialWorkspace(1), { type: 'next-image' }).active).toBe(0);
    expect(run(initialWorkspace(2), { type: 'activate', index: 5 }).active).toBe(0);
  });

  it('adjustments stay within the sliders\u2019 ranges; garbage is ignored', () => {
    const s = run(
      initialWorkspace(1),
      { type: 'adjust', key: 'brightness', value: 9 },
      { type: 'adjust', key: 'gamma', value: 0.1 },
      { type: 'adjust', key: 'contrast', value: Number.NaN },
    );
    expect(s.adjustments).toEqual({ brightness: 2, contrast: 1, gamma: 0.4 });
    expect(run(s, { type: 'reset-adjustments' }).adjustments).toEqual({ brightness: 1, contrast: 1, gamma: 1 });
  });

  it('blink and swipe wait for two landmark pairs, then lay the second image on the first', () => {
    let s = run(initialWorkspace(2), { type: 'overlay', mode: 'blink' });
    expect(s.overlayMode).toBe('off');
    s = run(
      s,
      { type: 'register' },
      { type: 'pick', index: 0, point: { x: 10, y: 10 } },
      { type: 'pick', index: 1, point: { x: 20, y: 20 } },
      { type: 'pick', index: 0, point: { x: 110, y: 10 } },
      { type: 'pick', index: 1, point: { x: 220, y: 20 } },
      { type: 'register' },
    );
    expect(s.overlayMode).toBe('off');
    // The second image's landmarks are twice as far apart: it is laid on the first at half size.
    const t = overlayTransform(s);
    expect(t?.a).toBeCloseTo(0.5);
    expect(t?.b).toBeCloseTo(0);
    s = run(s, { type: 'overlay', mode: 'blink' });
    expect(overlayShown(s)).toBe(true);
    expect(run(s, { type: 'blink-tick' }).blinkOn).toBe(false);
    s = run(s, { type: 'overlay', mode: 'swipe' }, { type: 'split', value: 3 });
    expect(s).toMatchObject({ overlayMode: 'swipe', split: 1 });
    expect(run(s, { type: 'overlay', mode: 'swipe' }).overlayMode).toBe('off');
  });

  it('at most three landmarks per image; picks outside registration are ignored; restarting clears them', () => {
    let s = run(initialWorkspace(2), { type: 'pick', index: 0, point: { x: 1, y: 1 } });
    expect(s.picks[0]).toEqual([]);
    s = run(s, { type: 'register' });
    for (let i = 0; i < 5; i++) s = run(s, { type: 'pick', index: 0, point: { x: i, y: i } });
    expect(s.picks[0]).toHaveLength(3);
    s = run(s, { type: 'register' }, { type: 'register' });
    expect(s.picks).toEqual([[], []]);
    expect(run(initialWorkspace(3), { type: 'register' }).overlayMode).toBe('off');
  });
});

describe('viewer key map', () => {
  it('maps the viewer\u2019s keys to commands', () => {
    expect(viewerCommandFor(key('+'))).toEqual({ kind: 'zoom', factor: 1.25 });
    expect(viewerCommandFor(key('-'))).toEqual({ kind: 'zoom', factor: 0.8 });
    expect(viewerCommandFor(key('Home'))).toEqual({ kind: 'fit' });
    expect(viewerCommandFor(key('R', { shiftKey: true }))).toEqual({ kind: 'rotate', steps: -1 });
    expect(viewerCommandFor(key('ArrowLeft', { shiftKey: true }))).toEqual({ kind: 'pan', dx: 200, dy: 0 });
    expect(viewerCommandFor(key('z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(viewerCommandFor(key('s', { metaKey: true }))).toEqual({ kind: 'export' });
    expect(viewerCommandFor(key('m'))).toEqual({ kind: 'workspace', action: { type: 'tool', tool: 'measure' } });
    expect(viewerCommandFor(key('Escape'))).toEqual({ kind: 'workspace', action: { type: 'tool', tool: 'select' } });
  });

  it('leaves other keys to the window (Tab with one image, Ctrl+K, Alt, unknown letters)', () => {
    expect(viewerCommandFor(key('Tab'), 1)).toBeNull();
    expect(viewerCommandFor(key('Tab'), 2)).toEqual({ kind: 'workspace', action: { type: 'next-image' } });
    expect(viewerCommandFor(key('k', { ctrlKey: true }))).toBeNull();
    expect(viewerCommandFor(key('r', { altKey: true }))).toBeNull();
    expect(viewerCommandFor(key('q'))).toBeNull();
    expect(viewerCommandFor(key('Enter'))).toBeNull();
  });

  it('the sheet lists every single-letter key the map answers', () => {
    const listed = viewerKeyBindings.map((b) => b.keys).join(' ');
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
      if (viewerCommandFor(key(letter)) !== null) expect(listed).toContain(letter.toUpperCase());
    }
  });
});
