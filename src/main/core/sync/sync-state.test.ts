import { describe, expect, it } from 'vitest';
import { deriveSyncState, laterContact, type SyncFacts } from './sync-state';

const signedIn: SyncFacts = {
  consultant: true,
  token: true,
  running: false,
  hubConfigured: true,
  lastContact: { ok: true, at: '2026-11-30T09:00:00.000Z' },
  waitingDecisions: 0,
  lastSyncedAt: '2026-11-30T08:59:00.000Z',
};

describe('the status bar’s sync state', () => {
  it('nobody signed in: says so, whether or not the hub is up (never "offline")', () => {
    const s = deriveSyncState({ ...signedIn, consultant: false, token: false, lastContact: null });
    expect(s).toMatchObject({ state: 'signed-out', label: 'Not signed in to the hub', canSync: false });
  });

  it('after a restart without the token: sign in again, not "Synced"', () => {
    const s = deriveSyncState({ ...signedIn, token: false });
    expect(s.state).toBe('sign-in-again');
    expect(s.label).not.toMatch(/Synced/);
    expect(s.canSync).toBe(false);
    // Not yet read from the keychain: no flash of "sign in again".
    expect(deriveSyncState({ ...signedIn, token: null }).state).toBe('idle');
  });

  it('a failed sync is shown until a later exchange with the hub succeeds', () => {
    const failed = { ok: false as const, at: '2026-11-30T09:01:00.000Z', unreachable: false, message: 'HTTP 500' };
    expect(deriveSyncState({ ...signedIn, lastContact: failed })).toMatchObject({
      state: 'error',
      label: 'Sync failed',
      problem: 'HTTP 500',
    });
    // The outbox delivered a decision a minute later: the failure is history.
    const delivered = laterContact(failed, { ok: true, at: '2026-11-30T09:02:00.000Z' });
    expect(deriveSyncState({ ...signedIn, lastContact: delivered })).toMatchObject({ state: 'idle', label: 'Synced' });
    // An older success never hides a newer failure.
    expect(laterContact(failed, { ok: true, at: '2026-11-30T09:00:30.000Z' })).toBe(failed);
  });

  it('unreachable is offline with the reason; a hub answer that is an error is "Sync failed"', () => {
    const down = { ok: false as const, at: '2026-11-30T09:01:00.000Z', unreachable: true, message: 'ECONNREFUSED' };
    expect(deriveSyncState({ ...signedIn, lastContact: down })).toMatchObject({ state: 'offline', canSync: true });
  });

  it('waiting decisions and a sync in progress', () => {
    expect(deriveSyncState({ ...signedIn, waitingDecisions: 2 }).label).toBe('Signed in: 2 decisions to send');
    expect(deriveSyncState({ ...signedIn, waitingDecisions: 1 }).label).toBe('Signed in: 1 decision to send');
    expect(deriveSyncState({ ...signedIn, running: true }).state).toBe('syncing');
    expect(deriveSyncState({ ...signedIn, lastSyncedAt: null }).label).toBe('Signed in: not synced yet');
  });
});
