import { expect, skipOnTarget, test } from './fixtures/desk-app';

/** What the page itself can prove about its hardening, on either host. */
test.describe('renderer hardening', () => {
  test('the Content-Security-Policy blocks injected markup, inline script and foreign scripts', async ({ app }) => {
    const outcome = await app.page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      // What an HTML-injection bug would produce: an inline event handler.
      const host = document.createElement('div');
      host.innerHTML = '<img src="data:," onload="window.__handlerRan = true" onerror="window.__handlerRan = true">';
      document.body.appendChild(host);

      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.appendChild(inline);

      const foreign = document.createElement('script');
      foreign.src = 'data:text/javascript,window.__foreignRan=true';
      const foreignResult = new Promise<string>((resolve) => {
        foreign.onload = () => resolve('loaded');
        foreign.onerror = () => resolve('blocked');
      });
      document.body.appendChild(foreign);

      const foreignOutcome = await foreignResult;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { handlerRan: w['__handlerRan'] === true, inlineRan: w['__inlineRan'] === true, foreign: foreignOutcome };
    });
    expect(outcome).toEqual({ handlerRan: false, inlineRan: false, foreign: 'blocked' });
  });

  test('the page cannot reach other origins', async ({ app }) => {
    const result = await app.page.evaluate(async () => {
      try {
        await fetch('https://example.org/');
        return 'reached';
      } catch {
        return 'blocked';
      }
    });
    expect(result).toBe('blocked');
  });

  test('window.open is refused', async ({ app }) => {
    skipOnTarget(
      app,
      'host',
      'window.open is denied by the Electron shell (setWindowOpenHandler); a plain browser allows it',
    );
    const opened = await app.page.evaluate(() => window.open('https://example.org/') !== null);
    expect(opened).toBe(false);
  });
});
