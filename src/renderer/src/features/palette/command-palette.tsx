import { useEffect, useMemo, useRef, useState } from 'react';
import { runCommand, type CommandName } from '../shortcuts/command-bus';
import { keyBindings } from '../shortcuts/key-map';
import { worklistFilters } from '../worklist/worklist-filters';
import { nextActiveOption } from '../shortcuts/list-box-keys';
import { worklistSortOptions } from '../worklist/worklist-sorts';

/** A command the palette offers: its name and, when it has one, its key. */
interface PaletteEntry {
  keys: string;
  label: string;
  command: CommandName;
}

/** The worklist's filters, by name (they have no single key). */
const filterCommands: PaletteEntry[] = worklistFilters.map((f) => ({
  keys: '',
  label: `Filter: ${f.name}`,
  command: `worklist.filter:${f.id}`,
}));

/** The worklist's orders, by name (the sort control beside the case count sets the same). */
const sortCommands: PaletteEntry[] = worklistSortOptions.map((o) => ({
  keys: '',
  label: `Sort: ${o.name}`,
  command: `worklist.sort:${o.id}`,
}));

/** Every command of the window key map once (its key as the map prints it), then the filters. */
const paletteEntries: PaletteEntry[] = [
  ...keyBindings
    .filter((b) => b.command !== 'app.palette')
    .map((b) => ({ keys: b.display, label: b.label, command: b.command })),
  ...filterCommands,
  ...sortCommands,
];

/** Ctrl+K: every command by name; type to filter, ↑/↓ to choose, Enter to run. */
export function CommandPalette(props: { onClose: () => void }): React.JSX.Element {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const all = paletteEntries;
  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
  }, [all, query]);
  const run = (c: PaletteEntry | undefined): void => {
    if (!c) return;
    props.onClose();
    // Let the palette close (and focus return) before the command moves focus itself.
    setTimeout(() => runCommand(c.command), 0);
  };
  return (
    <div className="overlay" role="presentation" onClick={props.onClose}>
      <div
        className="dialog palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onClick={(e) => e.stopPropagation()}
      >
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[active] ? `palette-${active}` : undefined}
          aria-label="Type a command"
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            const next = nextActiveOption(e.key, active, matches.length);
            if (next !== null) {
              e.preventDefault();
              setActive(next);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              run(matches[active]);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              props.onClose();
            }
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Commands">
          {matches.map((c, i) => (
            <li
              key={c.command + c.label}
              id={`palette-${i}`}
              role="option"
              aria-selected={i === active}
              onClick={() => run(c)}
            >
              <span>{c.label}</span>
              {c.keys && <kbd>{c.keys}</kbd>}
            </li>
          ))}
          {matches.length === 0 && <li className="empty-state">No command matches.</li>}
        </ul>
      </div>
    </div>
  );
}
