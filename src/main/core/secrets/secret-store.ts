/**
 * Where hub tokens and the cache key live. The port is tiny on purpose: the only real adapter is
 * the OS keychain (keytar), so secrets never touch settings files, logs or the database.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const SECRET_SERVICE = 'DermDesk';
