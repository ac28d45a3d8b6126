import type { Point } from './annotations';
import type { Tool } from './gestures';
import { registerPoints, type Similarity } from './registration';

/** Non-destructive display adjustments (the stored image and the export are never changed). */
export interface Adjustments {
  brightness: number;
  contrast: number;
  gamma: number;
}

export const neutralAdjustments: Adjustments = { brightness: 1, contrast: 1, gamma: 1 };

export type OverlayMode = 'off' | 'register' | 'blink' | 'swipe';

/**
 * The state shared by the one to four viewers of a workspace: the tool, display options, which
 * viewer the keyboard acts on, whether zoom and pan are locked together, and the compare overlay
 * (landmarks picked on the first two images, blink or swipe).
 */
export interface WorkspaceState {
  readonly count: number;
  readonly tool: Tool;
  readonly textLabel: string;
  readonly pixelated: boolean;
  readonly adjustments: Adjustments;
  readonly locked: boolean;
  readonly active: number;
  readonly overlayMode: OverlayMode;
  /** Landmarks on the first and second image (at most 3 each). */
  readonly picks: readonly [readonly Point[], readonly Point[]];
  /** Blink: whether the second image is the one showing now. */
  readonly blinkOn: boolean;
  /** Swipe: the fraction of the width left of the split. */
  readonly split: number;
}

export function initialWorkspace(count: number): WorkspaceState {
  return {
    count,
    tool: 'select',
    textLabel: '',
    pixelated: true,
    adjustments: neutralAdjustments,
    locked: true,
    active: 0,
    overlayMode: 'off',
    picks: [[], []],
    blinkOn: true,
    split: 0.5,
  };
}

export type WorkspaceAction =
  | { type: 'tool'; tool: Tool }
  | { type: 'text-label'; text: string }
  | { type: 'pixelated'; on?: boolean }
  | { type: 'adjust'; key: keyof Adjustments; value: number }
  | { type: 'reset-adjustments' }
  | { type: 'lock'; on?: boolean }
  | { type: 'activate'; index: number }
  | { type: 'next-image' }
  | { type: 'register' }
  | { type: 'pick'; index: 0 | 1; point: Point }
  | { type: 'overlay'; mode: 'blink' | 'swipe' }
  | { type: 'blink-tick' }
  | { type: 'split'; value: number };

export const MAX_LANDMARKS = 3;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
/** The sliders' ranges, also enforced here (a stored or typed value cannot go past them). */
export const adjustmentRanges: Record<keyof Adjustments, { min: number; max: number }> = {
  brightness: { min: 0.5, max: 2 },
  contrast: { min: 0.5, max: 2 },
  gamma: { min: 0.4, max: 2.5 },
};

export function workspaceReducer(s: WorkspaceState, a: WorkspaceAction): WorkspaceState {
  switch (a.type) {
    case 'tool':
      return { ...s, tool: a.tool };
    case 'text-label':
      return { ...s, textLabel: a.text.slice(0, 500) };
    case 'pixelated':
      return { ...s, pixelated: a.on ?? !s.pixelated };
    case 'adjust': {
      const r = adjustmentRanges[a.key];
      if (!Number.isFinite(a.value)) return s;
      return { ...s, adjustments: { ...s.adjustments, [a.key]: clamp(a.value, r.min, r.max) } };
    }
    case 'reset-adjustments':
      return { ...s, adjustments: neutralAdjustments };
    case 'lock':
      return { ...s, locked: a.on ?? !s.locked };
    case 'activate':
      return a.index >= 0 && a.index < s.count ? { ...s, active: a.index } : s;
    case 'next-image':
      return s.count > 1 ? { ...s, active: (s.active + 1) % s.count } : s;
    case 'register':
      // Entering registration starts over; leaving keeps the landmarks for blink/swipe.
      if (s.count !== 2) return s;
      return s.overlayMode === 'register'
        ? { ...s, overlayMode: 'off' }
        : { ...s, overlayMode: 'register', picks: [[], []] };
    case 'pick': {
      if (s.overlayMode !== 'register') return s;
      const mine = s.picks[a.index];
      if (mine.length >= MAX_LANDMARKS) return s;
      const next = [...mine, a.point];
      return { ...s, picks: a.index === 0 ? [next, s.picks[1]] : [s.picks[0], next] };
    }
    case 'overlay':
      if (!overlayTransform(s)) return s;
      return { ...s, overlayMode: s.overlayMode === a.mode ? 'off' : a.mode, blinkOn: true };
    case 'blink-tick':
      return s.overlayMode === 'blink' ? { ...s, blinkOn: !s.blinkOn } : s;
    case 'split':
      return Number.isFinite(a.value) ? { ...s, split: clamp(a.value, 0, 1) } : s;
  }
}

/**
 * The similarity that lays the second image on the first, once at least two landmark pairs are
 * picked (the second image's points are the moving ones); null before.
 */
export function overlayTransform(s: WorkspaceState): Similarity | null {
  const [a, b] = s.picks;
  return a.length >= 2 && b.length >= a.length ? registerPoints(b.slice(0, a.length), a) : null;
}

/** Whether the overlay (blink or swipe) is showing: then the grid shows one image. */
export function overlayShown(s: WorkspaceState): boolean {
  return (s.overlayMode === 'blink' || s.overlayMode === 'swipe') && overlayTransform(s) !== null;
}
