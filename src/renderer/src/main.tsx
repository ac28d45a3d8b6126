import { startFetchingCaseImages } from './features/viewer/viewer-cold-start';
import { viewerRoute } from './features/viewer/viewer-route';
import './styles.css';

/**
 * The page's entry, kept small (issue 16, cold start): it reads the route and, for the pop-out
 * viewer, asks for the case's images and their first thumbnail at once, then loads the code of
 * the one window it is (the viewer never loads the shell's worklist, decision panel, letters…).
 * Every chunk loaded here is pinned by hash in the CSP (electron.vite.config.ts).
 */
performance.mark('dd:app-start'); // the entry has been fetched and evaluated (cold-start trace)
const root = document.getElementById('root');
if (!root) throw new Error('DermDesk: #root element missing from index.html');
// `#view=viewer` is the pop-out viewer window (second monitor); anything else is the shell.
const viewer = viewerRoute(window.location.hash);
if (viewer?.caseId) startFetchingCaseImages(viewer.caseId);
// The shell's chunk imports window-root's: both are asked for at once, not one after the other.
const mounted = viewer
  ? import('./window-root').then((m) => m.mountViewerWindow(root, viewer.caseId))
  : Promise.all([import('./window-root'), import('./shell-window')]).then(([, m]) => m.mountShellWindow(root));
mounted.catch((error: unknown) => {
  // A chunk refused (its bytes differ from the pinned hash) or missing: say so, not a blank page.
  console.error('DermDesk: the window could not load', error);
  const alert = document.createElement('p');
  alert.setAttribute('role', 'alert');
  alert.textContent = 'DermDesk could not load this window. Restart DermDesk; if it happens again, reinstall it.';
  root.replaceChildren(alert);
});
