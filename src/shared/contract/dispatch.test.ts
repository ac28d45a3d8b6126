import { afterAll, describe, expect, it } from 'vitest';
import { makeTestCore } from '../../../tests/support/test-core';
import { dispatch } from './dispatch';
import { AppError } from './errors';

describe('dispatch', () => {
  const core = makeTestCore();
  afterAll(() => core.cleanup());

  it('calls the handler with validated input', async () => {
    const result = await dispatch(core.handlers, 'app.echo', { text: 'hello' });
    expect(result).toMatchObject({ ok: true, value: { text: 'hello' } });
  });

  it('applies schema defaults before the handler sees the input', async () => {
    const result = await dispatch(core.handlers, 'worklist.list', {});
    expect(result).toEqual({ ok: true, value: { total: 0, cases: [], next: null } });
  });

  it('refuses invalid input with a validation error naming the field', async () => {
    const result = await dispatch(core.handlers, 'app.echo', { text: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.field).toBe('text');
    expect(result.error.message).toMatch(/^text: /);
  });

  it('refuses unexpected extra fields (strict inputs)', async () => {
    const result = await dispatch(core.handlers, 'app.echo', { text: 'x', admin: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses an unknown method without calling anything', async () => {
    const result = await dispatch(core.handlers, 'fs.readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses names inherited from Object.prototype', async () => {
    const result = await dispatch(core.handlers, 'constructor', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('passes AppErrors through as data and hides unexpected errors', async () => {
    const handlers = {
      ...core.handlers,
      'app.echo': () => {
        throw new AppError('conflict', 'Case was updated', 'caseId');
      },
      'app.status': () => {
        throw new Error('SQLITE_CORRUPT at /home/dr/secret/path');
      },
    };
    expect(await dispatch(handlers, 'app.echo', { text: 'x' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Case was updated', field: 'caseId' },
    });
    const hidden = await dispatch(handlers, 'app.status', {});
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(hidden)).not.toContain('SQLITE_CORRUPT');
  });
});
