import { AppError } from '../../../shared/contract/errors';
import type { EventBus } from '../events/event-bus';
import type { SecretStore } from '../secrets/secret-store';
import { checkVerifier, createVerifier } from './credential-verifier';

/** Consultants must re-enter their password at least this often, even without idling. */
export const REAUTH_AFTER_MS = 12 * 60 * 60 * 1000;
const VERIFIER_ACCOUNT = 'unlock-verifier';

export interface LockStatus {
  locked: boolean;
  reason: 'idle' | 'manual' | 'reauthentication' | null;
  canUnlockOffline: boolean;
  idleMinutes: number;
}

/**
 * The workstation lock. While locked, core refuses every method except the few the lock screen
 * needs (see create-core's guard), so nothing patient-identifiable can be fetched by a page that
 * is left open. Work in progress is untouched: drafts are already in the database.
 */
export class LockService {
  private locked = false;
  private reason: LockStatus['reason'] = null;
  private unlockedAt: number;

  constructor(
    private readonly secrets: SecretStore,
    private readonly events: EventBus,
    private readonly now: () => Date,
    private readonly idleMinutes: () => number,
  ) {
    this.unlockedAt = now().getTime();
  }

  /** Called at sign-in with the password the hub accepted: keeps a verifier for offline unlock. */
  async rememberCredential(password: string): Promise<void> {
    await this.secrets.set(VERIFIER_ACCOUNT, await createVerifier(password));
    this.unlockedAt = this.now().getTime();
    // A lock screen shown meanwhile (locked while the verifier was being derived) learns it can
    // now offer offline unlock: the event makes the page ask for the status again.
    this.events.emit('lock.changed', { locked: this.locked, reason: this.reason });
  }

  async forgetCredential(): Promise<void> {
    await this.secrets.delete(VERIFIER_ACCOUNT);
    this.events.emit('lock.changed', { locked: this.locked, reason: this.reason });
  }

  async status(): Promise<LockStatus> {
    if (!this.locked && this.now().getTime() - this.unlockedAt > REAUTH_AFTER_MS) this.setLocked('reauthentication');
    return {
      locked: this.locked,
      reason: this.reason,
      canUnlockOffline: (await this.secrets.get(VERIFIER_ACCOUNT)) !== null,
      idleMinutes: this.idleMinutes(),
    };
  }

  isLocked(): boolean {
    if (!this.locked && this.now().getTime() - this.unlockedAt > REAUTH_AFTER_MS) this.setLocked('reauthentication');
    return this.locked;
  }

  lock(reason: 'idle' | 'manual'): void {
    if (!this.locked) this.setLocked(reason);
  }

  async unlock(password: string): Promise<void> {
    const verifier = await this.secrets.get(VERIFIER_ACCOUNT);
    if (verifier === null) {
      throw new AppError(
        'locked',
        'No credential is stored on this workstation: sign in to the hub to unlock.',
        'password',
      );
    }
    if (!(await checkVerifier(password, verifier))) {
      throw new AppError('forbidden', 'That password is not right. Try again.', 'password');
    }
    this.locked = false;
    this.reason = null;
    this.unlockedAt = this.now().getTime();
    this.events.emit('lock.changed', { locked: false, reason: null });
  }

  private setLocked(reason: NonNullable<LockStatus['reason']>): void {
    this.locked = true;
    this.reason = reason;
    this.events.emit('lock.changed', { locked: true, reason });
  }
}
