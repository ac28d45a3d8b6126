/**
 * Whether the workstation may talk to a hub at this address. Sign-in sends the consultant's
 * password, and every sync carries patient records and photographs, so the hub must be reached
 * over HTTPS. Plain http:// is allowed only for a hub on this computer (loopback: localhost,
 * 127.0.0.0/8, ::1), where nothing crosses a network: the demo and the tests.
 * Returns the problem in words the consultant can act on, or null when the address is fine.
 */
export function hubAddressProblem(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'The hub address is not a web address: enter it as https://hub.example.nhs.uk';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:')
    return `The hub address must start with https:// (not ${url.protocol}//): enter it as https://${url.host || 'hub.example.nhs.uk'}`;
  if (isLoopback(url.hostname)) return null;
  return `The hub address must start with https://, not http://: your password and patient data would cross the network unencrypted. Use https://${url.host} (http:// is allowed only for a hub on this computer, such as http://127.0.0.1).`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
