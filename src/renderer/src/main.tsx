import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LockGate } from './features/lock/lock-gate';
import { WindowKeyboard } from './features/shortcuts/window-keyboard';
import { startFetchingCaseImages, ViewerWindowPage, viewerRoute } from './features/viewer/viewer-window-page';
import './styles.css';

performance.mark('dd:app-start'); // the bundle has been fetched and evaluated (cold-start trace)
const root = document.getElementById('root');
if (!root) throw new Error('DermDesk: #root element missing from index.html');
// `#view=viewer` is the pop-out viewer window (second monitor); anything else is the shell.
const viewer = viewerRoute(window.location.hash);
if (viewer?.caseId) startFetchingCaseImages(viewer.caseId);
createRoot(root).render(
  <StrictMode>
    <WindowKeyboard defaultMode={viewer ? 'viewer' : 'case'}>
      <LockGate>{viewer ? <ViewerWindowPage initialCaseId={viewer.caseId} /> : <App />}</LockGate>
    </WindowKeyboard>
  </StrictMode>,
);
