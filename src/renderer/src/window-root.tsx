import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { LockGate } from './features/lock/lock-gate';
import { WindowKeyboard } from './features/shortcuts/window-keyboard';
import { ViewerWindowPage } from './features/viewer/viewer-window-page';

/**
 * What both windows run (React, the window key map, the lock gate) and the pop-out viewer's page.
 * shell-window.tsx imports this module, so the bundler puts it and everything the viewer needs in
 * ONE chunk: the pop-out loads the entry and that chunk, with no second round of fetches after it.
 */
export function mountWindow(root: HTMLElement, mode: 'case' | 'viewer', page: ReactNode): void {
  createRoot(root).render(
    <StrictMode>
      <WindowKeyboard defaultMode={mode}>
        <LockGate>{page}</LockGate>
      </WindowKeyboard>
    </StrictMode>,
  );
}

/** The pop-out viewer window (main.tsx loads this for `#view=viewer`; never the shell's code). */
export function mountViewerWindow(root: HTMLElement, caseId: string | null): void {
  performance.mark('dd:viewer-code-loaded');
  mountWindow(root, 'viewer', <ViewerWindowPage initialCaseId={caseId} />);
}
