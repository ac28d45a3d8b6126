/**
 * Whether the referral column is open, remembered on this workstation (a layout preference, no
 * patient data). Until the consultant chooses, it is open on wide screens and folded below
 * 1400 px, where three columns would leave the image too narrow.
 */
const KEY = 'dermdesk.referral-column';

export function loadReferralOpen(): boolean {
  const saved = window.localStorage.getItem(KEY);
  if (saved === 'open') return true;
  if (saved === 'folded') return false;
  return window.innerWidth >= 1400;
}

export function saveReferralOpen(open: boolean): void {
  window.localStorage.setItem(KEY, open ? 'open' : 'folded');
}
