import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * A local verifier for the consultant's password, so the screen can be unlocked offline (on a
 * train) without keeping the password or the hub token in reach of the page. scrypt is
 * memory-hard; the verifier lives in the OS keychain, never in the database or settings.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, PARAMS, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function createVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${PARAMS.N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkVerifier(password: string, verifier: string): Promise<boolean> {
  const [scheme, n, salt, key] = verifier.split('$');
  if (scheme !== 'scrypt' || Number(n) !== PARAMS.N || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
