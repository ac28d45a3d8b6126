import { afterAll, describe, expect, it } from 'vitest';
import { makeTestCore } from '../../../tests/support/test-core';
import { createIpcHandler, isTrustedFrame } from './ipc-handler';

const trusted = ['dermdesk-app://bundle'];

describe('Electron IPC transport', () => {
  const core = makeTestCore();
  afterAll(() => core.cleanup());

  it('dispatches a call from our own frame', async () => {
    const handler = createIpcHandler(core.handlers, 'app.echo', trusted);
    const result = await handler({ senderFrame: { url: 'dermdesk-app://bundle/index.html' } }, { text: 'hi' });
    expect(result).toMatchObject({ ok: true, value: { text: 'hi' } });
  });

  it('returns a validation error naming the field', async () => {
    const handler = createIpcHandler(core.handlers, 'worklist.list', trusted);
    const result = await handler({ senderFrame: { url: 'dermdesk-app://bundle/index.html' } }, { limit: 0 });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'limit' } });
  });

  it('refuses an unknown method', async () => {
    const handler = createIpcHandler(core.handlers, 'shell.openExternal', trusted);
    const result = await handler({ senderFrame: { url: 'dermdesk-app://bundle/index.html' } }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it.each([
    ['a remote page', 'https://evil.example/index.html'],
    ['a look-alike origin', 'dermdesk-app://bundle.evil/index.html'],
    ['a file URL', 'file:///tmp/index.html'],
    ['a malformed URL', 'not a url'],
  ])('refuses calls from %s', async (_label, url) => {
    const handler = createIpcHandler(core.handlers, 'app.echo', trusted);
    const result = await handler({ senderFrame: { url } }, { text: 'hi' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses calls from a destroyed frame', async () => {
    expect(isTrustedFrame(null, trusted)).toBe(false);
    const handler = createIpcHandler(core.handlers, 'app.echo', trusted);
    expect(await handler({ senderFrame: null }, { text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('accepts the dev server origin only when it is configured', () => {
    expect(isTrustedFrame({ url: 'http://localhost:5173/' }, trusted)).toBe(false);
    expect(isTrustedFrame({ url: 'http://localhost:5173/' }, [...trusted, 'http://localhost:5173'])).toBe(true);
  });
});
