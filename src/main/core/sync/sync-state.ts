/**
 * The status bar's one truth about sync, derived from facts core holds: is a consultant signed in,
 * does the keychain still hold their hub token, is a sync running, how did the LAST exchange with
 * the hub go (a sync run or an outbox send, whichever came later), and what is waiting to go.
 * Pure: no clock, no I/O; unit-tested in sync-state.test.ts.
 */
export type SyncState = 'signed-out' | 'sign-in-again' | 'syncing' | 'offline' | 'error' | 'idle';

/** The most recent exchange with the hub. */
export type HubContact = { ok: true; at: string } | { ok: false; at: string; unreachable: boolean; message: string };

export interface SyncFacts {
  /** The kv table names a consultant (they signed in on this workstation). */
  consultant: boolean;
  /** The keychain holds a hub token; null while not yet read (treated as present). */
  token: boolean | null;
  running: boolean;
  hubConfigured: boolean;
  lastContact: HubContact | null;
  /** Decisions signed and not yet accepted by the hub (not held for review). */
  waitingDecisions: number;
  /** When a whole sync last completed (kept across restarts), or null: never. */
  lastSyncedAt: string | null;
}

export interface DerivedSyncState {
  state: SyncState;
  /** What the status bar says. */
  label: string;
  /** The hub's or the network's reason, when the state is offline or error. */
  problem: string | null;
  /** Whether "Sync now" can work; otherwise the bar offers "Sign in". */
  canSync: boolean;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function deriveSyncState(f: SyncFacts): DerivedSyncState {
  if (!f.consultant) return { state: 'signed-out', label: 'Not signed in to the hub', problem: null, canSync: false };
  if (f.token === false)
    return {
      state: 'sign-in-again',
      label: 'Signed out of the hub: sign in again to sync',
      problem: null,
      canSync: false,
    };
  if (f.running) return { state: 'syncing', label: 'Syncing…', problem: null, canSync: false };
  const last = f.lastContact;
  if (last && !last.ok) {
    return last.unreachable
      ? {
          state: 'offline',
          label: 'Offline: the hub cannot be reached, working from the local cache',
          problem: last.message,
          canSync: true,
        }
      : { state: 'error', label: 'Sync failed', problem: last.message, canSync: true };
  }
  if (!f.hubConfigured)
    return {
      state: 'offline',
      label: 'No hub configured: working from the local cache',
      problem: null,
      canSync: false,
    };
  if (f.waitingDecisions > 0)
    return {
      state: 'idle',
      label: `Signed in: ${plural(f.waitingDecisions, 'decision', 'decisions')} to send`,
      problem: null,
      canSync: true,
    };
  return {
    state: 'idle',
    label: f.lastSyncedAt ? 'Synced' : 'Signed in: not synced yet',
    problem: null,
    canSync: true,
  };
}

/** Keeps whichever exchange is later: a delivered outbox row after a failed sync clears the failure. */
export function laterContact(a: HubContact | null, b: HubContact): HubContact {
  return a && a.at > b.at ? a : b;
}
