import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore } from '../../../../tests/support/test-core';
import { dispatch } from '../../../shared/contract/dispatch';
import { REAUTH_AFTER_MS } from './lock-service';

describe('workstation lock', () => {
  let clock: number;
  let core: ReturnType<typeof makeTestCore>;
  const events: unknown[] = [];
  beforeEach(() => {
    clock = Date.parse('2026-11-23T09:00:00Z');
    core = makeTestCore({ now: () => new Date(clock) });
    events.length = 0;
    core.events.subscribe((name, payload) => events.push({ name, payload }));
  });
  afterEach(() => core.cleanup());

  it('refuses patient-data methods while locked and still answers the lock screen', async () => {
    await core.lock.rememberCredential('correct horse');
    expect(await dispatch(core.handlers, 'worklist.list', {})).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'lock.lock', { reason: 'idle' })).toMatchObject({ ok: true });
    expect(events).toContainEqual({ name: 'lock.changed', payload: { locked: true, reason: 'idle' } });

    expect(await dispatch(core.handlers, 'worklist.list', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await dispatch(core.handlers, 'lock.status', {})).toMatchObject({
      ok: true,
      value: { locked: true, reason: 'idle', canUnlockOffline: true },
    });
    expect(await dispatch(core.handlers, 'app.status', {})).toMatchObject({ ok: true });
  });

  it('unlocks only with the right password, offline, and says which field is wrong', async () => {
    await core.lock.rememberCredential('correct horse');
    core.lock.lock('manual');
    expect(await dispatch(core.handlers, 'lock.unlock', { password: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', field: 'password' },
    });
    expect(core.lock.isLocked()).toBe(true);
    expect(await dispatch(core.handlers, 'lock.unlock', { password: 'correct horse' })).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'worklist.list', {})).toMatchObject({ ok: true });
  });

  it('tells a lock screen already showing when a credential becomes available (locked mid sign-in)', async () => {
    core.lock.lock('manual');
    expect(await dispatch(core.handlers, 'lock.status', {})).toMatchObject({ value: { canUnlockOffline: false } });
    events.length = 0;
    await core.lock.rememberCredential('correct horse');
    expect(events).toContainEqual({ name: 'lock.changed', payload: { locked: true, reason: 'manual' } });
    expect(await dispatch(core.handlers, 'lock.status', {})).toMatchObject({ value: { canUnlockOffline: true } });
  });

  it('cannot be unlocked without a stored credential', async () => {
    core.lock.lock('manual');
    expect(await dispatch(core.handlers, 'lock.unlock', { password: 'anything' })).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/sign in to the hub/) },
    });
  });

  it('asks for the password again after 12 hours even without idling', async () => {
    await core.lock.rememberCredential('correct horse');
    clock += REAUTH_AFTER_MS - 1000;
    expect(core.lock.isLocked()).toBe(false);
    clock += 2000;
    expect(await dispatch(core.handlers, 'worklist.list', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await dispatch(core.handlers, 'lock.status', {})).toMatchObject({ value: { reason: 'reauthentication' } });
    await core.lock.unlock('correct horse');
    expect(core.lock.isLocked()).toBe(false);
  });

  it('keeps the verifier out of the database and settings files', async () => {
    await core.lock.rememberCredential('correct horse');
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    for (const file of readdirSync(core.dataDir)) {
      if (file.startsWith('cache.sqlite') || file.endsWith('.json')) {
        const text = readFileSync(join(core.dataDir, file)).toString('latin1');
        expect(text).not.toContain('scrypt$');
        expect(text).not.toContain('correct horse');
      }
    }
  });
});
