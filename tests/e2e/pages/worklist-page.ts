import type { Locator, Page } from '@playwright/test';

/** The worklist pane: search, filter chips, the virtualised list of cases. */
export class WorklistPage {
  readonly list: Locator;
  readonly rows: Locator;
  readonly search: Locator;
  readonly count: Locator;
  readonly empty: Locator;
  readonly sort: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole('listbox', { name: 'Cases' });
    this.rows = page.getByTestId('worklist-row');
    this.search = page.getByRole('searchbox', { name: /Search cases/ });
    this.count = page.getByTestId('worklist-count');
    this.empty = page.getByTestId('worklist-empty');
    this.sort = page.getByRole('combobox', { name: 'Sort' });
  }

  filter(label: string): Locator {
    return this.page
      .getByRole('group', { name: 'Filter the worklist' })
      .getByRole('button', { name: label, exact: true });
  }

  row(caseId: string): Locator {
    return this.page.locator(`[data-testid="worklist-row"][data-case-id="${caseId}"]`);
  }

  selected(): Locator {
    return this.page.locator('[data-testid="worklist-row"][aria-selected="true"]');
  }
}
