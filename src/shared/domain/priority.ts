import type { ReferralPriority } from './case';

/** Lower rank sorts first: suspected cancer, then urgent, then routine. */
export const priorityRank: Record<ReferralPriority, number> = {
  'suspected-cancer': 0,
  urgent: 1,
  routine: 2,
};
