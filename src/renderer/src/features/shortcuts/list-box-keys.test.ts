import { describe, expect, it } from 'vitest';
import { nextActiveOption } from './list-box-keys';

describe('list box arrow keys', () => {
  it('moves one option down or up and stops at the ends', () => {
    expect(nextActiveOption('ArrowDown', 0, 3)).toBe(1);
    expect(nextActiveOption('ArrowDown', 2, 3)).toBe(2);
    expect(nextActiveOption('ArrowUp', 2, 3)).toBe(1);
    expect(nextActiveOption('ArrowUp', 0, 3)).toBe(0);
  });

  it('leaves every other key to the caller', () => {
    for (const key of ['Enter', 'Escape', 'Tab', 'a', 'PageDown']) expect(nextActiveOption(key, 1, 3)).toBeNull();
  });
});
