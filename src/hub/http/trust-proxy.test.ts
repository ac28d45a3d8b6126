import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it('takes addresses and CIDR blocks of either family, trimmed', () => {
    expect(parseTrustProxy(' 10.0.0.5, 10.0.0.0/24,fd00::/8 ,::1')).toEqual([
      '10.0.0.5',
      '10.0.0.0/24',
      'fd00::/8',
      '::1',
    ]);
  });

  it.each([
    ['', 'needs the proxy addresses'],
    [' , ', 'needs the proxy addresses'],
    ['true', '"true" is not an IP address'],
    ['2', '"2" is not an IP address'],
    ['10.0.0.0/33', '"10.0.0.0/33" is not'],
    ['fd00::/129', '"fd00::/129" is not'],
    ['10.0.0.0/8/1', '"10.0.0.0/8/1" is not'],
    ['10.0.0.0/x', '"10.0.0.0/x" is not'],
    ['proxy.example.org', '"proxy.example.org" is not'],
    ['10.0.0.1, 999.1.1.1', '"999.1.1.1" is not'],
  ])('refuses %j (trusting anything other than named proxies is the hole it closes)', (value, message) => {
    expect(() => parseTrustProxy(value)).toThrow(message);
  });
});
