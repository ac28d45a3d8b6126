import { useEffect, useRef } from 'react';

/**
 * One place where keyboard shortcuts, the command palette and buttons meet: each names a command;
 * whichever pane owns it listens. Keeps the global key handler free of knowledge about panes.
 */
export type CommandName =
  | 'worklist.search'
  | 'worklist.next'
  | 'worklist.prev'
  | 'worklist.focus'
  | 'worklist.open-next'
  | `worklist.filter:${string}`
  | `worklist.sort:${string}`
  | `decision.outcome:${string}`
  | 'decision.diagnosis'
  | 'decision.sign'
  | 'decision.letter'
  | 'decision.amend'
  | 'decision.checklist'
  | 'case.pass-on'
  | 'case.images'
  | 'case.toggle-referral'
  | 'app.shortcuts'
  | 'app.palette'
  | 'app.next-area'
  | 'app.previous-area'
  | 'app.lock'
  | 'sync.run';

type Listener = (name: CommandName) => boolean;
const listeners = new Set<Listener>();

/** Runs a command; returns true when some pane handled it. */
export function runCommand(name: CommandName): boolean {
  let handled = false;
  for (const l of [...listeners]) if (l(name)) handled = true;
  return handled;
}

/** Subscribes a pane to commands; the handler returns true for the commands it handled. */
export function useCommands(handler: (name: CommandName) => boolean): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const listener: Listener = (name) => ref.current(name);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}
