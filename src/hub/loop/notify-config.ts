import type { NotifySmsOptions } from './notify-sms-sender';
import type { SmtpOptions } from './smtp-email-sender';

export interface NotifyConfig {
  smtp?: SmtpOptions;
  sms?: NotifySmsOptions;
  publicUrl?: string;
}

/** GOV.UK Notify's API, the default for DERMDESK_HUB_NOTIFY_URL. */
export const GOV_UK_NOTIFY_URL = 'https://api.notifications.service.gov.uk';

/**
 * The outcome loop's channels from the hub's environment (secrets stay out of the process list):
 * - DERMDESK_HUB_SMTP_URL `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`, with
 *   DERMDESK_HUB_MAIL_FROM (required with it) and DERMDESK_HUB_SMTP_REQUIRE_TLS=1 to refuse to
 *   send without STARTTLS (NHSmail relays require it);
 * - DERMDESK_HUB_NOTIFY_API_KEY with DERMDESK_HUB_NOTIFY_PATIENT_LINK_TEMPLATE (and
 *   DERMDESK_HUB_NOTIFY_URL for another Notify-compatible service) for texts to patients;
 * - DERMDESK_HUB_PUBLIC_URL: the address people reach the hub at (links in messages).
 * Unset: no channel (messages wait in the queue, the operator sees them). Half-set: an error that
 * names what is missing, so a hub never starts believing it can send when it cannot.
 */
export function notifyConfigFromEnv(env: NodeJS.ProcessEnv): NotifyConfig {
  const config: NotifyConfig = {};
  if (env.DERMDESK_HUB_SMTP_URL) {
    let url: URL;
    try {
      url = new URL(env.DERMDESK_HUB_SMTP_URL);
    } catch {
      throw new Error('DERMDESK_HUB_SMTP_URL is not a URL: use smtp://user:password@host:587 or smtps://…:465.');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      throw new Error(`DERMDESK_HUB_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//.`);
    const from = env.DERMDESK_HUB_MAIL_FROM;
    if (!from) throw new Error('DERMDESK_HUB_MAIL_FROM is needed with DERMDESK_HUB_SMTP_URL (the sender address).');
    const secure = url.protocol === 'smtps:';
    config.smtp = {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      requireTLS: env.DERMDESK_HUB_SMTP_REQUIRE_TLS === '1',
      from,
      ...(url.username
        ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
        : {}),
    };
  }
  if (env.DERMDESK_HUB_NOTIFY_API_KEY) {
    const template = env.DERMDESK_HUB_NOTIFY_PATIENT_LINK_TEMPLATE;
    if (!template)
      throw new Error(
        'DERMDESK_HUB_NOTIFY_PATIENT_LINK_TEMPLATE is needed with DERMDESK_HUB_NOTIFY_API_KEY (the text template id).',
      );
    config.sms = {
      baseUrl: env.DERMDESK_HUB_NOTIFY_URL ?? GOV_UK_NOTIFY_URL,
      apiKey: env.DERMDESK_HUB_NOTIFY_API_KEY,
      templates: { 'patient-link': template },
    };
  }
  if (env.DERMDESK_HUB_PUBLIC_URL) config.publicUrl = env.DERMDESK_HUB_PUBLIC_URL;
  return config;
}
