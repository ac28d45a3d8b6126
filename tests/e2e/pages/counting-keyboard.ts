import type { Page } from '@playwright/test';

/**
 * The keyboard as a person uses it: one key press at a time, each counted and recorded. `type`
 * presses each character as its own key (a person typing "seb ker" presses 7 keys); a chord such
 * as Control+Enter is one press of one combination and is recorded as such.
 */
export class CountingKeyboard {
  private readonly presses: { key: string; why: string }[] = [];

  constructor(private readonly page: Page) {}

  /** One key, or one chord ("Control+Enter"). */
  async press(key: string, why = ''): Promise<void> {
    this.presses.push({ key, why });
    await this.page.keyboard.press(key);
  }

  /** Each character of `text` as its own key press. */
  async type(text: string, why = ''): Promise<void> {
    for (const ch of text) await this.press(ch === ' ' ? 'Space' : ch, why);
  }

  get count(): number {
    return this.presses.length;
  }

  /** The presses one per line, numbered: what the test prints and the issue note quotes. */
  transcript(): string {
    return this.presses
      .map((p, i) => `${String(i + 1).padStart(2)}. ${p.key}${p.why ? `  (${p.why})` : ''}`)
      .join('\n');
  }
}
