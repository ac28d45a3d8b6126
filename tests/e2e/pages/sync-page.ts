import type { Locator, Page } from '@playwright/test';

/** Hub sign-in and the sync controls in the status bar. */
export class SyncPage {
  readonly signInButton: Locator;
  /** Offered when the workstation knows the consultant but no longer holds their hub token. */
  readonly signInAgainButton: Locator;
  readonly signOutButton: Locator;
  readonly dialog: Locator;
  readonly hubUrl: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly syncButton: Locator;
  readonly progress: Locator;
  readonly progressText: Locator;
  readonly consultant: Locator;
  readonly syncState: Locator;

  constructor(readonly page: Page) {
    this.signInButton = page.getByRole('button', { name: 'Sign in to hub' });
    this.signInAgainButton = page.getByRole('button', { name: 'Sign in again' });
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.dialog = page.getByRole('dialog', { name: 'Sign in to the referral hub' });
    this.hubUrl = this.dialog.getByLabel('Hub address');
    this.username = this.dialog.getByLabel('Username');
    this.password = this.dialog.getByLabel('Password');
    this.submit = this.dialog.getByRole('button', { name: 'Sign in' });
    this.syncButton = page.getByRole('button', { name: /Sync now|Syncing/ });
    this.progress = page.getByRole('progressbar', { name: 'Sync progress' });
    this.progressText = page.getByTestId('sync-progress-text');
    this.consultant = page.getByTestId('consultant');
    this.syncState = page.getByTestId('sync-state');
  }

  async signIn(hubUrl: string, username: string, password: string): Promise<void> {
    await this.signInButton.click();
    await this.hubUrl.fill(hubUrl);
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
