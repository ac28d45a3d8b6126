import { useEffect, useState, type ReactNode } from 'react';
import { runCommand } from './command-bus';
import { bindingFor, chordOf, commandFor, isTypingTarget, keyModeOf, type KeyBinding, type KeyMode } from './key-map';

/** What the last key press did, for the mode indicator (so no key acts unseen). */
export interface KeyReport {
  mode: KeyMode;
  binding: KeyBinding | null;
  at: number;
}

type ReportListener = (report: KeyReport) => void;
const reportListeners = new Set<ReportListener>();

/**
 * The window's ONE keydown listener (see key-map.ts for the map and its modes). Mounted once per
 * window, around everything (main.tsx), so it outlives the lock screen and serves the pop-out.
 * `defaultMode` is the mode when the focus is in no marked region (the pop-out is all viewer).
 */
export function WindowKeyboard(props: { defaultMode?: KeyMode; children: ReactNode }): React.JSX.Element {
  const { defaultMode = 'case' } = props;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      // A focused widget (the viewer, the list's arrows, a picker) already used this key.
      if (e.defaultPrevented) return;
      const focused = document.activeElement;
      const mode = focused?.closest('[data-key-mode]') ? keyModeOf(focused) : defaultMode;
      const chord = chordOf(e);
      const typing = isTypingTarget(e.target);
      const command = commandFor(mode, chord, {
        typing,
        inDialog: document.querySelector('[aria-modal="true"]') !== null,
      });
      if (!command) return;
      // Esc out of a text field leaves the field before going back to the list.
      if (chord === 'Escape' && typing) (e.target as HTMLElement).blur();
      if (runCommand(command)) {
        e.preventDefault();
        const report: KeyReport = { mode, binding: bindingFor(mode, chord), at: performance.now() };
        for (const l of [...reportListeners]) l(report);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [defaultMode]);
  return <>{props.children}</>;
}

/** The mode the window's keys are in now, following the focus. */
export function useKeyMode(defaultMode: KeyMode = 'case'): KeyMode {
  const read = (): KeyMode =>
    document.activeElement?.closest('[data-key-mode]') ? keyModeOf(document.activeElement) : defaultMode;
  const [mode, setMode] = useState<KeyMode>(read);
  useEffect(() => {
    const update = (): void => setMode(read());
    // focusout fires before the next element has focus: read once the move is complete.
    const later = (): void => void requestAnimationFrame(update);
    window.addEventListener('focusin', update);
    window.addEventListener('focusout', later);
    return () => {
      window.removeEventListener('focusin', update);
      window.removeEventListener('focusout', later);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [defaultMode]);
  return mode;
}

/** The last key the window map handled (null until one is pressed). */
export function useLastKey(): KeyReport | null {
  const [report, setReport] = useState<KeyReport | null>(null);
  useEffect(() => {
    reportListeners.add(setReport);
    return () => {
      reportListeners.delete(setReport);
    };
  }, []);
  return report;
}
