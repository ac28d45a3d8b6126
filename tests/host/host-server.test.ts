import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEncryptedFile } from '../../src/main/core/crypto/encrypted-files';
import { imageDir } from '../../src/main/core/images/image-paths';
import { testImageKey } from '../support/cache-key';
import { makeTempDir } from '../support/temp-dir';
import { makeTestCore } from '../support/test-core';
import { startHostServer, type HostServer } from './host-server';

describe('test host over real HTTP', () => {
  const core = makeTestCore();
  const renderer = makeTempDir();
  let host: HostServer;
  const sha = 'a'.repeat(64);

  beforeAll(async () => {
    writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><title>DermDesk</title>');
    // Cached files are encrypted with the core's image key; the route serves them decrypted.
    await writeEncryptedFile(
      testImageKey,
      join(imageDir(core.dataDir, sha), 'preview.webp'),
      Buffer.from('webp-bytes'),
    );
    host = await startHostServer({ core, rendererDir: renderer.path });
  });
  afterAll(async () => {
    await host.close();
    core.cleanup();
    renderer.remove();
  });

  const rpc = (method: string, body: unknown, token = host.token): Promise<Response> =>
    fetch(`${host.url}/rpc/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('binds loopback only', () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
  });

  it('round-trips a valid call', async () => {
    const res = await rpc('app.echo', { text: 'over http' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { text: 'over http' } });
  });

  it('answers invalid input with 400 and the field at fault', async () => {
    const res = await rpc('app.echo', { text: '' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'validation', field: 'text' } });
  });

  it('refuses an unknown method with 404', async () => {
    const res = await rpc('process.exit', {});
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses a wrong or missing token', async () => {
    expect((await rpc('app.echo', { text: 'x' }, 'wrong')).status).toBe(403);
    const res = await fetch(`${host.url}/rpc/app.echo`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
  });

  it('refuses malformed and oversize JSON with a clear message', async () => {
    const bad = await rpc('app.echo', '{"text": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: 'Request body is not valid JSON' } });
    const huge = await rpc('app.echo', JSON.stringify({ text: 'x'.repeat(6 * 1024 * 1024) })).catch(() => null);
    if (huge) {
      expect(huge.status).toBe(400);
      expect(await huge.json()).toMatchObject({ error: { message: 'Request body is larger than 5 MB' } });
    }
  });

  it('streams core events as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.url}/events?token=${host.token}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the ": connected" comment
    core.events.emit('worklist.changed', { reason: 'test' });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('"name":"worklist.changed"');
    controller.abort();
  });

  it('serves the built renderer and cached images, and nothing outside them', async () => {
    expect(await (await fetch(`${host.url}/`)).text()).toContain('DermDesk');
    const img = await fetch(`${host.url}/img/${sha}/preview?token=${host.token}`);
    expect(img.status).toBe(200);
    expect(await img.text()).toBe('webp-bytes');
    // A file that fails authentication (planted in plaintext) is never served.
    writeFileSync(join(imageDir(core.dataDir, sha), 'thumb.webp'), 'planted-bytes');
    expect((await fetch(`${host.url}/img/${sha}/thumb?token=${host.token}`)).status).toBe(500);
    expect((await fetch(`${host.url}/img/${sha}/preview`)).status).toBe(403);
    for (const path of [
      `/img/${'../'.repeat(3)}etc/passwd/preview`,
      `/img/${sha}/..%2F..%2Fcache.sqlite`,
      `/img/%2Fetc%2Fpasswd/original`,
      `/img/${sha}/preview%00.png`,
      '/..%2F..%2Fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const res = await fetch(`${host.url}${path}${path.includes('?') ? '&' : '?'}token=${host.token}`);
      expect([400, 404], path).toContain(res.status);
    }
  });
});
