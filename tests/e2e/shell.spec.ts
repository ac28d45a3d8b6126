import { expect, test } from './fixtures/desk-app';
import { ShellPage } from './pages/shell-page';

test.describe('app shell', () => {
  test('renders the worklist, the case pane and the status bar with clear empty states', async ({ app }) => {
    const shell = new ShellPage(app.page);
    await expect(shell.worklistHeading).toBeVisible();
    await expect(shell.worklistEmpty).toContainText('No cases on this workstation yet');
    await expect(shell.caseEmpty).toContainText('No case open');
    await expect(shell.syncState).toHaveText('Not signed in to the hub');
    await expect(shell.consultant).toHaveText('Not signed in');
  });

  test('keyboard: the skip link is the first stop and moves focus to the case pane', async ({ app }) => {
    await app.page.keyboard.press('Tab');
    const skip = app.page.getByRole('link', { name: 'Skip to case' });
    await expect(skip).toBeFocused();
    await app.page.keyboard.press('Enter');
    await expect(app.page.locator('#case-pane')).toBeFocused();
  });

  test('the page has no Node or Electron globals (context isolation)', async ({ app }) => {
    const globals = await app.page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>)['require'],
      process: typeof (globalThis as Record<string, unknown>)['process'],
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
  });
});
