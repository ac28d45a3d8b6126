import type { Tool } from './gestures';
import type { WorkspaceAction } from './workspace-state';

/**
 * Each tool's name, the word on its toolbar button (contained in the name, so speech input finds
 * it) and the single key that picks it while the viewer has focus.
 */
export const toolLabels: Record<Tool, { label: string; short: string; key: string }> = {
  select: { label: 'Select / pan', short: 'Select', key: 'V' },
  arrow: { label: 'Arrow', short: 'Arrow', key: 'A' },
  ellipse: { label: 'Ellipse', short: 'Ellipse', key: 'E' },
  freehand: { label: 'Freehand', short: 'Freehand', key: 'F' },
  text: { label: 'Text label', short: 'Text', key: 'T' },
  measure: { label: 'Measure', short: 'Measure', key: 'M' },
  calibrate: { label: 'Calibrate scale', short: 'Scale', key: 'K' },
};

/** What a key does in the viewer: to the active image, to its marks, or to the workspace. */
export type ViewerCommand =
  | { kind: 'fit' }
  | { kind: 'one-to-one' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'rotate'; steps: number }
  | { kind: 'pan'; dx: number; dy: number }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'delete-mark' }
  | { kind: 'export' }
  | { kind: 'workspace'; action: WorkspaceAction };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey?: boolean;
}

export const ZOOM_STEP = 1.25;
const PAN_STEP = 60;
const PAN_BIG_STEP = 200;

/**
 * The viewer's key map, as data: the command a key press means while the viewer has focus, or
 * null when the viewer does not use that key (so the window's own map may). Letters are the
 * viewer's only while it has focus; a text field never reaches here.
 */
export function viewerCommandFor(k: KeyInput, imageCount = 1): ViewerCommand | null {
  const mod = k.ctrlKey || k.metaKey;
  const key = k.key;
  const lower = key.toLowerCase();
  if (k.altKey) return null;
  if (mod) {
    if (lower === 'z') return { kind: k.shiftKey ? 'redo' : 'undo' };
    if (lower === 'y') return { kind: 'redo' };
    // Ctrl+Shift+S is the window's Sync now (renderer key-map.ts), in every mode.
    if (lower === 's' && !k.shiftKey) return { kind: 'export' };
    return null;
  }
  const pan = k.shiftKey ? PAN_BIG_STEP : PAN_STEP;
  switch (key) {
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_STEP };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 1 / ZOOM_STEP };
    case '0':
    case 'Home':
      return { kind: 'fit' };
    case '1':
      return { kind: 'one-to-one' };
    case 'ArrowLeft':
      return { kind: 'pan', dx: pan, dy: 0 };
    case 'ArrowRight':
      return { kind: 'pan', dx: -pan, dy: 0 };
    case 'ArrowUp':
      return { kind: 'pan', dx: 0, dy: pan };
    case 'ArrowDown':
      return { kind: 'pan', dx: 0, dy: -pan };
    case 'Delete':
    case 'Backspace':
      return { kind: 'delete-mark' };
    case 'Escape':
      return { kind: 'workspace', action: { type: 'tool', tool: 'select' } };
    case 'Tab':
      // With one image, Tab moves focus on as usual.
      return k.shiftKey || imageCount < 2 ? null : { kind: 'workspace', action: { type: 'next-image' } };
  }
  if (lower === 'r') return { kind: 'rotate', steps: k.shiftKey ? -1 : 1 };
  if (lower === 'p') return { kind: 'workspace', action: { type: 'pixelated' } };
  if (lower === 'l') return { kind: 'workspace', action: { type: 'lock' } };
  const tool = (Object.keys(toolLabels) as Tool[]).find((t) => toolLabels[t].key.toLowerCase() === lower);
  return tool ? { kind: 'workspace', action: { type: 'tool', tool } } : null;
}

/** The viewer's keys as the shortcuts sheet lists them (mode: viewer focused). */
export const viewerKeyBindings: readonly { keys: string; does: string }[] = [
  { keys: '+ / −', does: 'Zoom in / out' },
  { keys: '0 or Home', does: 'Fit the image' },
  { keys: '1', does: 'One image pixel per screen pixel' },
  { keys: 'R / Shift+R', does: 'Rotate 90° clockwise / anticlockwise' },
  { keys: 'Arrows (Shift: further)', does: 'Pan' },
  { keys: 'P', does: 'Show pixels as squares when magnified' },
  { keys: 'L', does: 'Lock zoom and pan across compared images' },
  { keys: 'Tab', does: 'Next compared image' },
  ...(Object.keys(toolLabels) as Tool[]).map((t) => ({
    keys: toolLabels[t].key,
    does: `Tool: ${toolLabels[t].label}`,
  })),
  { keys: 'Esc', does: 'Back to Select / pan' },
  { keys: 'Del', does: 'Delete the selected mark' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', does: 'Undo / redo a mark' },
  { keys: 'Ctrl+S', does: 'Export the image with its marks (PNG)' },
];
