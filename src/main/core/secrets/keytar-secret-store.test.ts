import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from './keytar-secret-store';

/**
 * Runs against a real Secret Service. `npm test` starts one (gnome-keyring inside
 * dbus-run-session, see scripts/with-keyring.sh) and sets DERMDESK_KEYRING=1; without it this
 * suite says why it did not run instead of pretending to pass.
 */
const haveKeyring = process.env['DERMDESK_KEYRING'] === '1';
if (!haveKeyring) console.warn('keytar suite skipped: no Secret Service session (run through `npm test`).');

describe.skipIf(!haveKeyring)('KeytarSecretStore on a real Secret Service', () => {
  const store = new KeytarSecretStore(`DermDesk-test-${randomUUID()}`);

  it('stores, reads back, replaces and deletes a secret', async () => {
    const account = `hub-token:${randomUUID()}`;
    expect(await store.get(account)).toBeNull();
    await store.set(account, 'first-secret');
    expect(await store.get(account)).toBe('first-secret');
    await store.set(account, 'second-secret');
    expect(await store.get(account)).toBe('second-secret');
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();
    expect(await store.delete(account)).toBe(false);
  });

  it('keeps unicode and long secrets intact', async () => {
    const account = `db-key:${randomUUID()}`;
    const secret = `ключ-🔑-${'x'.repeat(2048)}`;
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    await store.delete(account);
  });

  it('keeps accounts apart', async () => {
    const a = `a:${randomUUID()}`;
    const b = `b:${randomUUID()}`;
    await store.set(a, 'alpha');
    await store.set(b, 'beta');
    expect(await store.get(a)).toBe('alpha');
    expect(await store.get(b)).toBe('beta');
    await store.delete(a);
    await store.delete(b);
  });
});
