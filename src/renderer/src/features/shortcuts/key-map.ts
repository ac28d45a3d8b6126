import { outcomeLabels } from '../../../../shared/domain/outcome-labels';
import type { CommandName } from './command-bus';

/**
 * The window's ONE key map (issue 12). A key means one thing in each mode, and the mode is on
 * screen (`KeyModeIndicator`), so a letter never does something the consultant cannot see.
 *
 * Modes, decided by where the focus is (`keyModeOf`):
 * - `case`: anywhere outside the images (the worklist, the referral, the decision form, or
 *   nothing focused). Single letters are worklist moves and decision commands.
 * - `viewer`: the focus is inside the images (`[data-key-mode="viewer"]`: the case's image panel
 *   or the pop-out window). Single letters belong to the viewer, which reads them itself
 *   (features/viewer: its key map); the window map keeps only chords the viewer never uses.
 *
 * How keys reach a command: `app-keyboard.ts` installs the one `keydown` listener on the window,
 * skips events a focused widget already handled (`defaultPrevented`: the viewer, the list's
 * arrows, the diagnosis picker), turns the event into a chord (`chordOf`) and asks
 * `commandFor(mode, chord, context)`; the command runs on the command bus, where the pane that
 * owns it answers. Buttons and the Ctrl+K palette run the same commands.
 *
 * Switching mode by keyboard: F6 / Shift+F6 move between worklist, decision form and images;
 * `i` goes to the images; Esc (outside the viewer) goes back to the worklist. A click moves the
 * focus, and so the mode, too.
 */
export type KeyMode = 'case' | 'viewer';

export const keyModes: readonly KeyMode[] = ['case', 'viewer'];

export const keyModeLabels: Record<KeyMode, string> = {
  case: 'Worklist and decision keys',
  viewer: 'Image viewer keys',
};

export type KeyGroup = 'Worklist' | 'Decision' | 'Case' | 'App';

export interface KeyBinding {
  /** The normalised chord (`chordOf`): 'd', '?', 'Ctrl+Enter', 'Ctrl+Shift+s', 'Shift+F6'. */
  chord: string;
  /** The key as the sheet and the palette print it. */
  display: string;
  /** What it does, as the sheet and the palette say it. */
  label: string;
  command: CommandName;
  modes: readonly KeyMode[];
  group: KeyGroup;
  /** Fires even while typing in a text field (chords with Ctrl, Esc, F6); single letters never do. */
  whileTyping?: boolean;
  /** Fires even while a dialog is open (Ctrl+K toggles the palette, Ctrl+L locks). */
  inDialogs?: boolean;
}

/** Outcome keys: one letter each, shown beside every outcome on the form. */
export const outcomeKeys: Record<keyof typeof outcomeLabels, string> = {
  discharge: 'd',
  'routine-face-to-face': 'r',
  'urgent-face-to-face': 'u',
  'suspected-cancer-pathway': 'c',
  'procedure-list': 'b',
  'onward-referral': 'o',
  'teledermatology-follow-up': 'f',
  'more-information': 'm',
  'unable-to-assess-remotely': 'x',
};

const CASE: readonly KeyMode[] = ['case'];
const BOTH: readonly KeyMode[] = ['case', 'viewer'];

/** Every window binding, in the order the sheet lists them. */
export const keyBindings: readonly KeyBinding[] = [
  {
    chord: '/',
    display: '/',
    label: 'Search the worklist',
    command: 'worklist.search',
    modes: BOTH,
    group: 'Worklist',
  },
  {
    chord: 'j',
    display: 'j',
    label: 'Next case in the list',
    command: 'worklist.next',
    modes: CASE,
    group: 'Worklist',
  },
  {
    chord: 'k',
    display: 'k',
    label: 'Previous case in the list',
    command: 'worklist.prev',
    modes: CASE,
    group: 'Worklist',
  },
  {
    chord: 'n',
    display: 'n',
    label: 'Open the next case',
    command: 'worklist.open-next',
    modes: CASE,
    group: 'Worklist',
  },
  {
    chord: 'Escape',
    display: 'Esc',
    label: 'Back to the worklist',
    command: 'worklist.focus',
    modes: CASE,
    group: 'Worklist',
    whileTyping: true,
  },
  ...Object.entries(outcomeKeys).map(([kind, key]): KeyBinding => ({
    chord: key,
    display: key,
    label: `Outcome: ${outcomeLabels[kind as keyof typeof outcomeLabels]}`,
    command: `decision.outcome:${kind}`,
    modes: CASE,
    group: 'Decision',
  })),
  {
    chord: 't',
    display: 't',
    label: 'Diagnosis and plan template',
    command: 'decision.diagnosis',
    modes: CASE,
    group: 'Decision',
  },
  {
    chord: '7',
    display: '7',
    label: '7-point checklist',
    command: 'decision.checklist',
    modes: CASE,
    group: 'Decision',
  },
  {
    chord: 'Ctrl+Enter',
    display: 'Ctrl+Enter',
    label: 'Sign the decision',
    command: 'decision.sign',
    modes: BOTH,
    group: 'Decision',
    whileTyping: true,
  },
  {
    chord: 'a',
    display: 'a',
    label: 'Amend the signed decision',
    command: 'decision.amend',
    modes: CASE,
    group: 'Decision',
  },
  { chord: 'l', display: 'l', label: 'Letter to the GP (PDF)', command: 'decision.letter', modes: CASE, group: 'Case' },
  {
    chord: 'g',
    display: 'g',
    label: 'Preview the letter to the GP (Esc closes)',
    command: 'decision.letter-preview',
    modes: CASE,
    group: 'Case',
  },
  { chord: 'p', display: 'p', label: 'Pass to a colleague', command: 'case.pass-on', modes: CASE, group: 'Case' },
  {
    chord: 'i',
    display: 'i',
    label: 'Go to the images (viewer keys)',
    command: 'case.images',
    modes: CASE,
    group: 'Case',
  },
  {
    chord: 'h',
    display: 'h',
    label: 'Show or fold the referral column',
    command: 'case.toggle-referral',
    modes: CASE,
    group: 'Case',
  },
  {
    chord: 'F6',
    display: 'F6',
    label: 'Next area: worklist, decision, images',
    command: 'app.next-area',
    modes: BOTH,
    group: 'App',
    whileTyping: true,
  },
  {
    chord: 'Shift+F6',
    display: 'Shift+F6',
    label: 'Previous area',
    command: 'app.previous-area',
    modes: BOTH,
    group: 'App',
    whileTyping: true,
  },
  { chord: '?', display: '?', label: 'Show keyboard shortcuts', command: 'app.shortcuts', modes: BOTH, group: 'App' },
  {
    chord: 'Ctrl+k',
    display: 'Ctrl+K',
    label: 'Command palette',
    command: 'app.palette',
    modes: BOTH,
    group: 'App',
    whileTyping: true,
    inDialogs: true,
  },
  {
    chord: 'Ctrl+l',
    display: 'Ctrl+L',
    label: 'Lock DermDesk',
    command: 'app.lock',
    modes: BOTH,
    group: 'App',
    whileTyping: true,
    inDialogs: true,
  },
  {
    chord: 'Ctrl+Shift+s',
    display: 'Ctrl+Shift+S',
    label: 'Sync now',
    command: 'sync.run',
    modes: BOTH,
    group: 'App',
    whileTyping: true,
  },
];

/** Keys a focused widget reads itself; listed on the sheet, never dispatched by the window. */
export const widgetKeys: readonly { widget: string; display: string; label: string }[] = [
  { widget: 'Worklist', display: '↑ / ↓', label: 'Move in the list' },
  { widget: 'Worklist', display: 'Home / End, PgUp / PgDn', label: 'First / last case, a screen at a time' },
  { widget: 'Worklist', display: 'Enter', label: 'Open the selected case' },
  { widget: 'Diagnosis', display: '↑ / ↓ then Enter', label: 'Choose a diagnosis while typing its name' },
];

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * A key press as a chord string. Ctrl and Cmd are the same modifier. A printable character is
 * taken as typed ('?' or 'R' already carry their Shift), except under Ctrl/Alt, where the letter is
 * lower-cased and Shift is written out ('Ctrl+Shift+s'). Named keys keep every modifier.
 */
export function chordOf(e: KeyInput): string {
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  const printable = e.key.length === 1;
  if (printable && mods.length === 0) return e.key;
  if (e.shiftKey && (!printable || mods.length > 0)) mods.push('Shift');
  return [...mods, printable ? e.key.toLowerCase() : e.key].join('+');
}

export interface KeyContext {
  /** The key went to a text field (letters are text there). */
  typing: boolean;
  /** A dialog (palette, sheet, confirmation) is open and reads its own keys. */
  inDialog: boolean;
}

/** The binding a chord has in a mode, or null. */
export function bindingFor(mode: KeyMode, chord: string): KeyBinding | null {
  return keyBindings.find((b) => b.chord === chord && b.modes.includes(mode)) ?? null;
}

/** The command a chord runs in a mode and context, or null when the window leaves the key alone. */
export function commandFor(mode: KeyMode, chord: string, context: KeyContext): CommandName | null {
  const binding = bindingFor(mode, chord);
  if (!binding) return null;
  if (context.inDialog && !binding.inDialogs) return null;
  if (context.typing && !binding.whileTyping) return null;
  return binding.command;
}

/** The bindings that apply in a mode (the sheet's column for that mode). */
export function bindingsFor(mode: KeyMode): KeyBinding[] {
  return keyBindings.filter((b) => b.modes.includes(mode));
}

/**
 * The mode a focused element puts the window in. Pure over the DOM's shape: an element inside
 * `[data-key-mode="viewer"]` is the viewer; anything else (or nothing) is `case`.
 */
export function keyModeOf(focused: Element | null): KeyMode {
  const region = focused?.closest('[data-key-mode]')?.getAttribute('data-key-mode');
  return region === 'viewer' ? 'viewer' : 'case';
}

/** True when the key went to a text field, where letters are text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  }
  return false;
}
