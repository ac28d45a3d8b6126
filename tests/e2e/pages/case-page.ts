import type { Locator, Page } from '@playwright/test';

/** The open case: referral, consent gate, decision form, signed decision. */
export class CasePage {
  readonly view: Locator;
  readonly consentGate: Locator;
  readonly decisionForm: Locator;
  readonly signed: Locator;
  readonly problems: Locator;
  readonly saveState: Locator;
  readonly diagnosisSearch: Locator;
  /** The picker's matches, best first. */
  readonly diagnosisOptions: Locator;
  readonly downgradeAdvice: Locator;
  readonly signButton: Locator;
  readonly confirmSign: Locator;
  readonly letterState: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('case-view');
    this.consentGate = page.getByTestId('consent-gate');
    this.decisionForm = page.getByRole('group', { name: 'Outcome' });
    this.signed = page.getByTestId('signed-decision');
    this.problems = page.getByTestId('form-problems');
    this.saveState = page.getByTestId('save-state');
    this.diagnosisSearch = page.getByRole('combobox', { name: /Diagnosis/ });
    this.diagnosisOptions = page.getByRole('listbox', { name: 'Matching diagnoses' }).getByRole('option');
    this.downgradeAdvice = page.getByLabel('Advice to the referrer to downgrade (required)');
    this.signButton = page.getByRole('button', { name: /^Sign Ctrl\+Enter/ });
    this.confirmSign = page.getByRole('button', { name: 'Sign (Enter)' });
    this.letterState = page.getByTestId('letter-state');
  }

  outcome(label: string | RegExp): Locator {
    return this.decisionForm.getByRole('radio', { name: label });
  }
}
