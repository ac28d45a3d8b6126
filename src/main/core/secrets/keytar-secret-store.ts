import { createRequire } from 'node:module';
import { AppError } from '../../../shared/contract/errors';
import { SECRET_SERVICE, type SecretStore } from './secret-store';

import type * as KeytarModule from 'keytar';

type Keytar = typeof KeytarModule;

/** The OS keychain: Keychain on macOS, Credential Vault on Windows, Secret Service on Linux. */
export class KeytarSecretStore implements SecretStore {
  private readonly keytar: Keytar;

  constructor(
    private readonly service: string = SECRET_SERVICE,
    keytar?: Keytar,
  ) {
    // keytar is a native module: load it lazily so a missing keychain is a clear error, not a crash at import.
    this.keytar = keytar ?? (createRequire(import.meta.url)('keytar') as Keytar);
  }

  async get(account: string): Promise<string | null> {
    return this.call(() => this.keytar.getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call(() => this.keytar.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.call(() => this.keytar.deletePassword(this.service, account));
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new AppError('unavailable', `The system keychain is not available (${detail}). Unlock it and try again.`);
    }
  }
}
