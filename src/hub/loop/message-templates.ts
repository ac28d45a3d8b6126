import type { MessageTemplate } from '../store/outcome-loop-repository';

/**
 * The words of every message the hub sends, by template. Params are a link, a reference and the
 * practice's name: never a patient's name, NHS number, diagnosis or outcome, because email and
 * text messages leave the NHS's systems. The reader follows the link and signs in.
 */
export interface RenderedMessage {
  subject: string;
  text: string;
}

const SERVICE = 'DermDesk teledermatology';

export function renderMessage(template: MessageTemplate, p: Record<string, string>): RenderedMessage {
  const ref = p['reference'] ?? '';
  const link = p['link'] ?? '';
  switch (template) {
    case 'outcome-ready':
      return {
        subject: `${SERVICE}: outcome ready (ref ${ref})`,
        text: `A consultant's outcome is ready for referral ${ref}.\n\nSign in to read it and see what the practice needs to do:\n${link}\n\nThis message contains no patient information.\n`,
      };
    case 'information-requested':
      return {
        subject: `${SERVICE}: more information requested (ref ${ref})`,
        text: `The consultant needs more information or images before triaging referral ${ref}.\n\nSign in to see what is needed and to answer:\n${link}\n\nThis message contains no patient information.\n`,
      };
    case 'outcome-escalated':
      return {
        subject: `${SERVICE}: ACTION NEEDED, outcome not yet acknowledged (ref ${ref})`,
        text: `The outcome for referral ${ref} asks the practice to act and has not been acknowledged within ${p['days'] ?? '2'} working days.\n\nPlease sign in, act on it and acknowledge it:\n${link}\n\nThe teledermatology service has been told. This message contains no patient information.\n`,
      };
    case 'patient-link':
      return {
        subject: `${p['practice'] ?? 'Your GP practice'}: please send photos of your skin`,
        text: `${p['practice'] ?? 'Your GP practice'} asks you to send photos of your skin for a specialist to look at. Open this link on your phone (it works once and expires on ${p['expires'] ?? 'its date'}):\n${link}\n`,
      };
  }
}
