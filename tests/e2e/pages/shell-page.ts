import type { Locator, Page } from '@playwright/test';

/** The app shell: worklist pane, case pane, status bar. */
export class ShellPage {
  readonly worklistHeading: Locator;
  readonly worklistEmpty: Locator;
  readonly caseEmpty: Locator;
  readonly statusBar: Locator;
  readonly syncState: Locator;
  readonly consultant: Locator;
  readonly search: Locator;

  constructor(readonly page: Page) {
    this.worklistHeading = page.getByRole('heading', { name: 'Worklist' });
    this.worklistEmpty = page.getByTestId('worklist-empty');
    this.caseEmpty = page.getByTestId('case-empty');
    this.statusBar = page.getByRole('status');
    this.syncState = page.getByTestId('sync-state');
    this.consultant = page.getByTestId('consultant');
    this.search = page.getByRole('searchbox', { name: /Search cases/ });
  }
}
