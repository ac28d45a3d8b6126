/**
 * Pure policy for where a DermDesk page may go. Kept free of Electron so it is unit-tested
 * directly; harden-web-contents.ts applies it to every web contents.
 */
export function isTrustedUrl(url: string, trustedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Custom schemes have an opaque origin ("null") in WHATWG URL, so compare scheme + host.
  const origin = `${parsed.protocol}//${parsed.host}`;
  return trustedOrigins.includes(origin) && !parsed.username && !parsed.password;
}
