import { expect, type Page } from '@playwright/test';

/** Page objects for the hub's own pages (GP form, inbox, patient link). */
export class HubSignIn {
  constructor(readonly page: Page) {}
  async signIn(username: string, password: string): Promise<void> {
    // The sign-in form itself: /ops also has a form with a username field (adding an account).
    const form = this.page.locator('#login-form');
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }
}

export class GpReferralForm {
  constructor(readonly page: Page) {}

  async fillPatientAndReferral(v: { nhsNumber: string; dateOfBirth: string }): Promise<void> {
    const p = this.page;
    await p.getByLabel('NHS number').fill(v.nhsNumber);
    await p.getByLabel('Given name').fill('Mary');
    await p.getByLabel('Family name').fill('Somerville');
    await p.getByLabel('Date of birth').fill(v.dateOfBirth);
    await p.getByLabel('Sex').selectOption('female');
    await p.getByLabel('Priority').selectOption('urgent');
    await p.getByLabel('Presenting complaint').fill('Changing mole on the left forearm');
    await p.getByLabel('Duration').fill('4 months');
    await p.getByLabel('Change or evolution').fill('Darker, irregular edge');
    await p.getByLabel('Symptoms').fill('Itch');
    await p.getByLabel('Relevant history').fill('Father had melanoma');
    await p.getByLabel('Medication').fill('None');
    await p.getByLabel('Allergies').fill('None known');
    await p.getByLabel('family history of melanoma').check();
  }

  /** Chooses a photograph of `kind` and waits for the quality check's verdict. */
  async addImage(kind: 'overview' | 'close-up' | 'dermoscopy', file: string): Promise<void> {
    await this.page.getByLabel('Kind of photograph').selectOption(kind);
    await this.page.getByLabel('Photograph', { exact: true }).setInputFiles(file);
    await expect(this.page.locator('#image-check')).not.toHaveClass(/checking/);
  }

  retakePrompt() {
    return this.page.locator('#image-check.retake-prompt');
  }

  images() {
    return this.page.getByRole('list', { name: 'Photographs to send' }).getByRole('listitem');
  }

  async send(): Promise<void> {
    await this.page.getByRole('button', { name: 'Send referral' }).click();
  }
}
