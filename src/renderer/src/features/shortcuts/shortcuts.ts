import { outcomeLabels } from '../../../../shared/domain/outcome-labels';
import type { CommandName } from './command-bus';

export interface Shortcut {
  keys: string;
  /** What the key does, as the sheet and the palette say it. */
  label: string;
  command: CommandName;
  group: 'Worklist' | 'Decision' | 'Case' | 'App';
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

/** Every shortcut, in the order the sheet lists them. Single letters never fire while typing. */
export const shortcuts: readonly Shortcut[] = [
  { keys: '/', label: 'Search the worklist', command: 'worklist.search', group: 'Worklist' },
  { keys: 'j or ↓', label: 'Next case in the list', command: 'worklist.next', group: 'Worklist' },
  { keys: 'k or ↑', label: 'Previous case in the list', command: 'worklist.prev', group: 'Worklist' },
  { keys: 'Enter', label: 'Open the selected case', command: 'worklist.focus', group: 'Worklist' },
  { keys: 'n', label: 'Open the next case', command: 'worklist.open-next', group: 'Worklist' },
  { keys: 'Esc', label: 'Back to the worklist', command: 'worklist.focus', group: 'Worklist' },
  ...Object.entries(outcomeKeys).map(([kind, key]) => ({
    keys: key,
    label: `Outcome: ${outcomeLabels[kind as keyof typeof outcomeLabels]}`,
    command: `decision.outcome:${kind}` as CommandName,
    group: 'Decision' as const,
  })),
  { keys: 't', label: 'Diagnosis and plan template', command: 'decision.diagnosis', group: 'Decision' },
  { keys: '7', label: '7-point checklist', command: 'decision.checklist', group: 'Decision' },
  { keys: 'Ctrl+Enter', label: 'Sign the decision', command: 'decision.sign', group: 'Decision' },
  { keys: 'a', label: 'Amend the signed decision', command: 'decision.amend', group: 'Decision' },
  { keys: 'l', label: 'Letter to the GP (PDF)', command: 'decision.letter', group: 'Case' },
  { keys: 'p', label: 'Pass to a colleague', command: 'case.pass-on', group: 'Case' },
  { keys: '?', label: 'Show keyboard shortcuts', command: 'app.shortcuts', group: 'App' },
  { keys: 'Ctrl+K', label: 'Command palette', command: 'app.palette', group: 'App' },
];

/**
 * Single-key shortcuts by key, for the global handler: derived from the list above (the first
 * key of each entry, when it is one character), so the sheet and the handler cannot disagree.
 */
export const singleKeyCommands: ReadonlyMap<string, CommandName> = new Map(
  shortcuts.flatMap((s) => {
    const key = s.keys.split(' or ')[0] ?? '';
    return key.length === 1 ? [[key, s.command] as const] : [];
  }),
);

/** True when the key went to a text field, where letters are text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
  }
  return false;
}
