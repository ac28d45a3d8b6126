import { isIP } from 'node:net';

/**
 * Which proxies may tell the hub a client's address (`--trust-proxy`, DERMDESK_HUB_TRUST_PROXY):
 * a comma-separated list of addresses and CIDR blocks, as Fastify's `trustProxy` takes it.
 * Only a request whose connecting hop is in the list has its X-Forwarded-For read, and then the
 * client is the nearest address in it that is not itself a trusted proxy, so a client cannot
 * prepend an address of its choosing. Off by default: with no proxy in front, the header is the
 * client's own claim, and honouring it would let anyone dodge the per-address limits.
 *
 * Only explicit addresses: `true` or a hop count would trust whatever connects, which is the hole
 * this setting exists to avoid.
 */
export function parseTrustProxy(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new Error('--trust-proxy needs the proxy addresses or CIDR blocks, e.g. 10.0.0.0/24');
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (family === 0 || !prefixOk || extra !== undefined)
      throw new Error(
        `--trust-proxy: "${entry}" is not an IP address or CIDR block (e.g. 10.0.0.5, 10.0.0.0/24, fd00::/8).`,
      );
  }
  return entries;
}
