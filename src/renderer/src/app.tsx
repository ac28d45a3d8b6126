import { useCallback, useEffect, useState } from 'react';
import { CasePane } from './features/case/case-pane';
import { currentWorkPlace, rememberWorkPlace } from './features/lock/work-place';
import { CommandPalette } from './features/palette/command-palette';
import { runCommand, useCommands } from './features/shortcuts/command-bus';
import { KeyModeIndicator } from './features/shortcuts/key-mode-indicator';
import { ShortcutsSheet } from './features/shortcuts/shortcuts-sheet';
import { StatusBar } from './features/status-bar/status-bar';
import { WorklistPane } from './features/worklist/worklist-pane';

/**
 * The consultant's shell: worklist on the left, the open case on the right, status along the
 * bottom. The window's one keydown listener (features/shortcuts/window-keyboard.tsx, mounted in
 * main.tsx) turns keys into commands by mode; the palette and the buttons run the same commands.
 */
export function App(): React.JSX.Element {
  // Unlocking mounts the app again: it reopens the case that was open (features/lock/work-place.ts).
  const [selectedCaseId, setSelectedCaseId] = useState<string | null>(() => currentWorkPlace().selectedCaseId);
  const [openCaseId, setOpenCaseId] = useState<string | null>(() => currentWorkPlace().openCaseId);
  useEffect(() => rememberWorkPlace({ openCaseId, selectedCaseId }), [openCaseId, selectedCaseId]);
  // Keys act on the reopened case at once, as they did before the lock.
  useEffect(() => {
    if (currentWorkPlace().openCaseId) requestAnimationFrame(() => document.getElementById('case-pane')?.focus());
  }, []);
  const [overlay, setOverlay] = useState<'palette' | 'shortcuts' | null>(null);

  const openCase = useCallback((id: string) => {
    setSelectedCaseId(id);
    setOpenCaseId(id);
    // Focus the case so single-key shortcuts act on it at once.
    requestAnimationFrame(() => document.getElementById('case-pane')?.focus());
  }, []);

  useCommands((name) => {
    if (name === 'app.palette') {
      setOverlay((o) => (o === 'palette' ? null : 'palette'));
      return true;
    }
    if (name === 'app.shortcuts') {
      setOverlay('shortcuts');
      return true;
    }
    if (name === 'app.next-area' || name === 'app.previous-area') {
      return focusArea(name === 'app.next-area' ? 1 : -1);
    }
    if (name === 'case.images') return focusImages();
    return false;
  });

  return (
    <div className="shell">
      <a className="skip-link" href="#case-pane">
        Skip to case
      </a>
      <main className="shell-main">
        <WorklistPane
          selectedCaseId={selectedCaseId}
          openCaseId={openCaseId}
          onSelect={setSelectedCaseId}
          onOpen={openCase}
        />
        <CasePane
          caseId={openCaseId}
          onCaseClosed={() => {
            setOpenCaseId(null);
            runCommand('worklist.focus');
          }}
        />
      </main>
      <footer className="shell-footer">
        <KeyModeIndicator />
        <StatusBar />
      </footer>
      {overlay === 'palette' && <CommandPalette onClose={() => setOverlay(null)} />}
      {overlay === 'shortcuts' && <ShortcutsSheet onClose={() => setOverlay(null)} />}
    </div>
  );
}

/** The areas F6 moves between, in order: the worklist, the open case's form, its images. */
function areas(): (HTMLElement | null)[] {
  return [
    document.querySelector<HTMLElement>('.worklist') ?? document.querySelector<HTMLElement>('.worklist-pane input'),
    document.getElementById('case-pane'),
    imagesTarget(),
  ];
}

function imagesTarget(): HTMLElement | null {
  const region = document.querySelector<HTMLElement>('[data-key-mode="viewer"]');
  return region?.querySelector<HTMLElement>('.viewer-workspace') ?? region;
}

function focusImages(): boolean {
  const target = imagesTarget();
  if (!target) return false;
  target.focus();
  return true;
}

function focusArea(step: 1 | -1): boolean {
  const list = areas();
  const active = document.activeElement;
  const current = active?.closest('[data-key-mode="viewer"]')
    ? 2
    : active?.closest('.worklist-pane')
      ? 0
      : active?.closest('#case-pane')
        ? 1
        : -1;
  for (let i = 1; i <= list.length; i++) {
    const next = list[(((current + step * i) % list.length) + list.length) % list.length];
    if (next) {
      next.focus();
      return true;
    }
  }
  return false;
}
