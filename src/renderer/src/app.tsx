import { useCallback, useEffect, useState } from 'react';
import { CasePane } from './features/case/case-pane';
import { CommandPalette } from './features/palette/command-palette';
import { runCommand, useCommands } from './features/shortcuts/command-bus';
import { isTypingTarget, singleKeyCommands } from './features/shortcuts/shortcuts';
import { ShortcutsSheet } from './features/shortcuts/shortcuts-sheet';
import { StatusBar } from './features/status-bar/status-bar';
import { WorklistPane } from './features/worklist/worklist-pane';

/**
 * The consultant's shell: worklist on the left, the open case on the right, status along the
 * bottom. One keydown listener turns keys into commands (features/shortcuts); the palette and
 * the buttons run the same commands.
 */
export function App(): React.JSX.Element {
  const [selectedCaseId, setSelectedCaseId] = useState<string | null>(null);
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);
  const [overlay, setOverlay] = useState<'palette' | 'shortcuts' | null>(null);

  const openCase = useCallback((id: string) => {
    setSelectedCaseId(id);
    setOpenCaseId(id);
    // Focus the case so single-key shortcuts act on it at once.
    requestAnimationFrame(() => document.getElementById('case-pane')?.focus());
  }, []);

  useCommands((name) => {
    if (name === 'app.palette') {
      setOverlay('palette');
      return true;
    }
    if (name === 'app.shortcuts') {
      setOverlay('shortcuts');
      return true;
    }
    return false;
  });

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return;
      const modal = document.querySelector('[aria-modal="true"]');
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOverlay((o) => (o === 'palette' ? null : 'palette'));
        return;
      }
      if (modal) return; // Dialogs handle their own keys.
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        if (runCommand('decision.sign')) e.preventDefault();
        return;
      }
      if (e.key === 'Escape') {
        if (isTypingTarget(e.target)) (e.target as HTMLElement).blur();
        runCommand('worklist.focus');
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      // Inside the worklist, arrows and Enter belong to the list itself.
      const command = singleKeyCommands.get(e.key);
      if (command && runCommand(command)) e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

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
      <StatusBar />
      {overlay === 'palette' && <CommandPalette onClose={() => setOverlay(null)} />}
      {overlay === 'shortcuts' && <ShortcutsSheet onClose={() => setOverlay(null)} />}
    </div>
  );
}
