import { App } from './app';
import { mountWindow } from './window-root';

/** The main window: worklist, case and decision (main.tsx loads this for any route but the viewer). */
export function mountShellWindow(root: HTMLElement): void {
  mountWindow(root, 'case', <App />);
}
