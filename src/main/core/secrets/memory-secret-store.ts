import type { SecretStore } from './secret-store';

/**
 * Secrets held in process memory only. Used by the Node test host, which is never packaged
 * and runs where no keychain exists; the Electron app always uses the keychain.
 */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }
}
