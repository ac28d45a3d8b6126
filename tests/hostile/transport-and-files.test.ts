import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubAddressProblem } from '../../src/main/core/sync/hub-address';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { addPractice, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub } from '../support/hub-fixture';
import { makeTempDir } from '../support/temp-dir';
import { makeTestCore } from '../support/test-core';

/**
 * Transport and files, as an outsider would probe them: the hub speaks HTTPS when given a
 * certificate, the workstation will not send a password or patient data over plain http:// to
 * another machine, and the hub's files holding patient data are this user's alone.
 */

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('HTTPS', () => {
  const dir = makeTempDir('dermdesk-tls-');
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGTERM');
    dir.remove();
  });

  it('sends: `npm run hub -- --tls-cert F --tls-key F` with a certificate made now (openssl); must: serve HTTPS that verifies against that certificate, and nothing in plain HTTP', async () => {
    const cert = join(dir.path, 'cert.pem');
    const key = join(dir.path, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status, `openssl req failed: ${String(made.stderr)}`).toBe(0);

    child = spawn(
      join('node_modules', '.bin', 'tsx'),
      ['src/hub/cli.ts', '--port', '0', '--data-dir', join(dir.path, 'hub'), '--tls-cert', cert, '--tls-key', key],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DERMDESK_HUB_LOG_LEVEL: 'silent' } },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (https?:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child!.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    // Verified against the certificate made above (not "rejectUnauthorized: false").
    const answer = await new Promise<{ status: number; body: string; hsts: string | undefined }>((resolve, reject) => {
      const req = httpsRequest(`${url}/healthz`, { ca: readFileSync(cert) }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, hsts: res.headers['strict-transport-security'] as string }),
        );
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(answer.hsts).toMatch(/max-age=\d+/);
    // The same port in plain HTTP is not served.
    const plain = await fetch(url.replace('https:', 'http:') + '/healthz').then(
      (r) => r.status,
      () => 'refused',
    );
    expect(plain === 'refused' || plain === 400).toBe(true);
  }, 60_000);

  it('sends: only one of --tls-cert and --tls-key; must: refuse to start, saying both are needed', () => {
    const run = spawnSync(join('node_modules', '.bin', 'tsx'), [
      'src/hub/cli.ts',
      '--port',
      '0',
      '--data-dir',
      join(dir.path, 'half'),
      '--tls-cert',
      join(dir.path, 'cert.pem'),
    ]);
    expect(run.status).toBe(1);
    expect(String(run.stderr)).toContain('HTTPS needs both --tls-cert and --tls-key');
  }, 30_000);
});

describe('the workstation refuses plain http:// to another machine', () => {
  it('sends: sign-in to http://hub.example.org; must: refuse before any request, naming https:// and why, on the hub address field', async () => {
    const core = makeTestCore();
    try {
      await expect(
        core.handlers['sync.signIn']({ hubUrl: 'http://hub.example.org', username: 'a', password: 'b' }),
      ).rejects.toMatchObject({
        code: 'validation',
        field: 'hubUrl',
        message: expect.stringMatching(
          /must start with https:\/\/, not http:\/\/.*unencrypted.*https:\/\/hub\.example\.org/,
        ),
      });
    } finally {
      core.cleanup();
    }
  });

  it('sends: each kind of address; must: allow https anywhere and http on loopback only', () => {
    for (const ok of [
      'https://hub.example.org',
      'http://127.0.0.1:8787',
      'http://localhost:1',
      'http://[::1]:9',
      'http://127.9.9.9',
    ])
      expect(hubAddressProblem(ok), ok).toBeNull();
    for (const bad of [
      'http://10.0.0.5:8787',
      'http://hub.nhs.uk',
      'http://127.0.0.1.evil.example',
      'http://[::2]',
      'ftp://hub.example.org',
      'hub.example.org',
    ])
      expect(hubAddressProblem(bad), bad).not.toBeNull();
  });
});

describe("the hub's files", () => {
  it("sends: a referral with photographs to a fresh hub; must: leave the database, its WAL and every photograph 0600, and the hub's folders 0700", async () => {
    const hub = await startTestHub();
    try {
      const token = await practiceLogin(hub, await addPractice(hub));
      const res = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(sampleSubmission(71)),
      });
      expect(res.status).toBe(201);
      expect(mode(hub.dataDir)).toBe(0o700);
      expect(mode(join(hub.dataDir, 'hub.sqlite'))).toBe(0o600);
      expect(mode(join(hub.dataDir, 'hub.sqlite-wal'))).toBe(0o600);
      const objects = join(hub.dataDir, 'objects');
      const entries = readdirSync(objects, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
      const dirs = [objects, ...entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const f of files) expect(mode(f), f).toBe(0o600);
      for (const d of dirs) expect(mode(d), d).toBe(0o700);
    } finally {
      await hub.close();
    }
  });
});
