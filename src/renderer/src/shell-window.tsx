import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LockGate } from './features/lock/lock-gate';
import { WindowKeyboard } from './features/shortcuts/window-keyboard';

/** The main window's root: worklist, case and decision (loaded by main.tsx for any route but the viewer). */
export function mountShellWindow(root: HTMLElement): void {
  createRoot(root).render(
    <StrictMode>
      <WindowKeyboard defaultMode="case">
        <LockGate>
          <App />
        </LockGate>
      </WindowKeyboard>
    </StrictMode>,
  );
}
