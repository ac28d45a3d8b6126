import { HubHttpError } from '../http/hub-http-error';
import type { UserRow } from '../store/hub-repository';

/** Where someone whose password the operator set chooses their own (a hub page). */
export const CHANGE_PASSWORD_PAGE = '/account/password';

/**
 * After a correct password: whether the account may sign in now. A deactivated account may not
 * (its tokens were revoked when it was deactivated); an account whose password the operator set
 * (new, or reset) must first choose its own. Checked by every sign-in door (consultant and
 * practice) so neither can be used around the other.
 */
export function refuseUnusableAccount(user: UserRow): void {
  if (user.deactivatedAt)
    throw new HubHttpError(
      403,
      'account-deactivated',
      'This account has been deactivated. Ask the teledermatology service to reactivate it.',
    );
  if (user.passwordResetAt)
    throw new HubHttpError(
      403,
      'password-change-required',
      `Your password was set by the service: choose your own at ${CHANGE_PASSWORD_PAGE} on this hub, then sign in with it.`,
    );
}
