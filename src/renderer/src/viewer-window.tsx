import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LockGate } from './features/lock/lock-gate';
import { WindowKeyboard } from './features/shortcuts/window-keyboard';
import { ViewerWindowPage } from './features/viewer/viewer-window-page';

/** The pop-out viewer window's root (loaded by main.tsx for `#view=viewer`; not the shell's code). */
export function mountViewerWindow(root: HTMLElement, caseId: string | null): void {
  performance.mark('dd:viewer-code-loaded');
  createRoot(root).render(
    <StrictMode>
      <WindowKeyboard defaultMode="viewer">
        <LockGate>
          <ViewerWindowPage initialCaseId={caseId} />
        </LockGate>
      </WindowKeyboard>
    </StrictMode>,
  );
}
