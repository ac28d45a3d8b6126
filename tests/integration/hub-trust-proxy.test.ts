import { afterEach, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { spawnHubProcess, type HubProcess } from '../support/hub-process';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { makeTempDir } from '../support/temp-dir';

/**
 * Per-address limits behind a TLS-terminating proxy (`--trust-proxy`). The real hub on loopback:
 * the test is the proxy, its connections come from 127.0.0.1, and X-Forwarded-For carries the
 * client. Without the setting the header is the client's own claim and must change nothing; with
 * it, each forwarded client has its own sign-in and link limits, and only the hop the proxy
 * appended counts (an address a client prepends is ignored).
 */
const clock = new Date('2026-11-30T09:00:00.000Z');
const LIMITS = { loginLimits: { perUser: 100, perIp: 2, windowMinutes: 15 } };
const LINK_LIMITS = { patientLinkLimits: { requests: 100, failures: 2, windowMs: 15 * 60_000 } };

let hub: TestHub | null = null;
let proc: HubProcess | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
  await proc?.stop();
  proc = null;
});

let attempt = 0;
/** A failed sign-in as a fresh username (so only the per-address limit can refuse it). */
async function wrongSignIn(base: string, forwardedFor?: string): Promise<number> {
  const res = await fetch(`${base}${HUB_API_PREFIX}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ username: `nobody-${attempt++}`, password: 'not-the-password' }),
  });
  return res.status;
}

/** Opening a patient link that does not exist: counts towards the address's link failures. */
async function guessLink(base: string, forwardedFor: string): Promise<number> {
  const res = await fetch(`${base}/p/${'A'.repeat(43)}`, { headers: { 'x-forwarded-for': forwardedFor } });
  return res.status;
}

describe('without --trust-proxy (the default)', () => {
  it('ignores X-Forwarded-For: a new spoofed address per try still meets the sign-in limit', async () => {
    hub = await startTestHub({ now: () => clock, ...LIMITS });
    expect(await wrongSignIn(hub.url, '203.0.113.1')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.2')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.3')).toBe(429);
    expect(await wrongSignIn(hub.url)).toBe(429);
  });

  it('ignores X-Forwarded-For on patient links: guessing from "new" addresses is stopped', async () => {
    hub = await startTestHub({ now: () => clock, doors: LINK_LIMITS });
    expect(await guessLink(hub.url, '203.0.113.1')).toBe(404);
    expect(await guessLink(hub.url, '203.0.113.2')).toBe(404);
    expect(await guessLink(hub.url, '203.0.113.3')).toBe(429);
  });
});

describe('with --trust-proxy 127.0.0.1', () => {
  it('gives each forwarded client its own sign-in limit, read from the hop the proxy appended', async () => {
    hub = await startTestHub({ now: () => clock, trustProxy: ['127.0.0.1'], ...LIMITS });
    expect(await wrongSignIn(hub.url, '203.0.113.1')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.1')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.1')).toBe(429);
    // The client behind 203.0.113.1 prepends an address; the proxy appends the real one.
    expect(await wrongSignIn(hub.url, '198.51.100.7, 203.0.113.1')).toBe(429);
    // Another client is not held up by the first.
    expect(await wrongSignIn(hub.url, '203.0.113.2')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.2')).toBe(401);
    expect(await wrongSignIn(hub.url, '203.0.113.2')).toBe(429);
  });

  it('gives each forwarded client its own patient-link limit', async () => {
    hub = await startTestHub({ now: () => clock, trustProxy: ['127.0.0.0/8'], doors: LINK_LIMITS });
    expect(await guessLink(hub.url, '203.0.113.1')).toBe(404);
    expect(await guessLink(hub.url, '203.0.113.1')).toBe(404);
    expect(await guessLink(hub.url, '203.0.113.1')).toBe(429);
    expect(await guessLink(hub.url, '203.0.113.2')).toBe(404);
  });

  it('is read from DERMDESK_HUB_TRUST_PROXY by the CLI, and a bad value stops the start with its reason', async () => {
    const dir = makeTempDir('dermdesk-trust-proxy-');
    try {
      await expect(spawnHubProcess(dir.path, ['--trust-proxy', 'proxy.example.org'])).rejects.toThrow(
        '"proxy.example.org" is not an IP address or CIDR block',
      );
      // The CLI's limit is 30 attempts per address per 15 minutes.
      proc = await spawnHubProcess(dir.path, [], { DERMDESK_HUB_TRUST_PROXY: '127.0.0.1' });
      for (let i = 0; i < 30; i++) expect(await wrongSignIn(proc.url, '203.0.113.1')).toBe(401);
      expect(await wrongSignIn(proc.url, '203.0.113.1')).toBe(429);
      expect(await wrongSignIn(proc.url, '203.0.113.2')).toBe(401);
    } finally {
      await proc?.stop();
      proc = null;
      dir.remove();
    }
  }, 300_000);
});
