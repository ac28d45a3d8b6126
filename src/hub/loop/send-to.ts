import type { SendLink } from '../../shared/hub-api/patient-link-api';
import type { Notifier } from './notifier';
import { normaliseUkMobile } from './notify-sms-sender';

// One address, no display name or list: what a practice types for one patient.
const EMAIL =
  /^[^\s@<>(),;:"[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Checks where a patient link is to be sent; the address in the form the sender needs. */
export function checkSendTo(
  send: SendLink,
  notifier: Pick<Notifier, 'has'>,
): { ok: true; channel: 'email' | 'sms'; to: string } | { ok: false; message: string; field: string } {
  if (!notifier.has(send.channel))
    return {
      ok: false,
      message:
        send.channel === 'sms'
          ? 'This hub has no text-message service configured; send the link by email or copy it.'
          : 'This hub has no email service configured; send the link by text message or copy it.',
      field: 'send.channel',
    };
  if (send.channel === 'sms') {
    const to = normaliseUkMobile(send.to);
    return to
      ? { ok: true, channel: 'sms', to }
      : { ok: false, message: 'Enter a UK mobile number, such as 07700 900123.', field: 'send.to' };
  }
  return EMAIL.test(send.to)
    ? { ok: true, channel: 'email', to: send.to }
    : { ok: false, message: 'Enter one email address, such as name@example.com.', field: 'send.to' };
}

export const ukDate = (isoDate: string): string => {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
};
