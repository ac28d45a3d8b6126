import { toolLabels, type Tool } from '../viewer/viewer-types';

/**
 * The keys the image viewer reads itself while it has the focus (features/viewer handles them on
 * its own element, before the window map sees them). Listed here for the shortcuts sheet's viewer
 * column and for key-map.test.ts, which checks the window map never binds one of them in viewer
 * mode. `chords` are in `chordOf` form.
 */
export const viewerKeys: readonly { chords: readonly string[]; display: string; label: string }[] = [
  { chords: ['+', '=', '-', '_'], display: '+ / −', label: 'Zoom in / out' },
  { chords: ['0', 'Home'], display: '0 or Home', label: 'Fit the image' },
  { chords: ['1'], display: '1', label: 'One image pixel per screen pixel' },
  { chords: ['r', 'R'], display: 'r / Shift+R', label: 'Rotate 90° clockwise / anticlockwise' },
  {
    chords: ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Shift+ArrowLeft', 'Shift+ArrowRight'],
    display: 'Arrows (Shift: further)',
    label: 'Pan',
  },
  { chords: ['p', 'P'], display: 'p', label: 'Show pixels as squares when magnified' },
  { chords: ['l', 'L'], display: 'l', label: 'Lock zoom and pan across compared images' },
  { chords: ['Tab'], display: 'Tab', label: 'Next compared image' },
  ...(Object.keys(toolLabels) as Tool[]).map((t) => ({
    chords: [toolLabels[t].key.toLowerCase(), toolLabels[t].key.toUpperCase()],
    display: toolLabels[t].key.toLowerCase(),
    label: `Tool: ${toolLabels[t].label}`,
  })),
  { chords: ['Escape'], display: 'Esc', label: 'Back to Select / pan' },
  { chords: ['Delete', 'Backspace'], display: 'Del', label: 'Delete the selected mark' },
  { chords: ['Ctrl+z', 'Ctrl+Shift+z', 'Ctrl+y'], display: 'Ctrl+Z / Ctrl+Shift+Z', label: 'Undo / redo a mark' },
  { chords: ['Ctrl+s'], display: 'Ctrl+S', label: 'Export the image with its marks (PNG)' },
];
