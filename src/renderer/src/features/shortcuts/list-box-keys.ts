/**
 * The highlighted option of a list box (the command palette, the diagnosis picker) after an arrow
 * key: one down or up, stopping at the ends. null for any other key, which the caller handles.
 */
export function nextActiveOption(key: string, active: number, count: number): number | null {
  if (key === 'ArrowDown') return Math.min(count - 1, active + 1);
  if (key === 'ArrowUp') return Math.max(0, active - 1);
  return null;
}
