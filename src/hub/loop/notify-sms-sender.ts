import { createHmac } from 'node:crypto';
import { NotifyError, type ChannelSender } from './notifier';

/**
 * Text messages through a provider with GOV.UK Notify's HTTP API (v2): `POST
 * <baseUrl>/v2/notifications/sms` with `{ phone_number, template_id, personalisation, reference }`
 * and `Authorization: Bearer <JWT>`, the JWT signed HS256 with the API key's secret, `iss` the
 * service id and `iat` now (Notify refuses tokens more than 30 s old). The API key has Notify's
 * format `<key name>-<service id>-<secret key>` (two UUIDs at the end). The words live in the
 * provider's template; we send its personalisation (the practice's name, the link, the expiry).
 * 400 and 403 are permanent (bad number, bad key), 429 and 5xx are retried.
 */
export interface NotifySmsOptions {
  baseUrl: string;
  apiKey: string;
  /** Template id per message template (only `patient-link` is sent by text today). */
  templates: Partial<Record<'patient-link', string>>;
  now?: () => Date;
  timeoutMs?: number;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^(.+)-(${UUID})-(${UUID})$`, 'i');

export function parseNotifyApiKey(apiKey: string): { serviceId: string; secret: string } {
  const m = KEY.exec(apiKey.trim());
  if (!m) throw new Error('The Notify API key must be "<key name>-<service id>-<secret key>".');
  return { serviceId: m[2]!, secret: m[3]! };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The bearer token Notify expects: a JWT (HS256) with iss = service id and iat = now. */
export function notifyJwt(serviceId: string, secret: string, now: Date): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const body = b64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** UK mobile numbers only (07… or +447…), as Notify's default; spaces and dashes are ignored. */
export function normaliseUkMobile(input: string): string | null {
  const digits = input.replace(/[\s()-]/g, '');
  const m = /^(?:\+44|0044|0)(7\d{9})$/.exec(digits);
  return m ? `+44${m[1]}` : null;
}

export function notifySmsSender(options: NotifySmsOptions): ChannelSender {
  const { serviceId, secret } = parseNotifyApiKey(options.apiKey);
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async send(message) {
      if (message.template !== 'patient-link')
        throw new NotifyError(`No text-message template for ${message.template}.`, true);
      const templateId = options.templates[message.template];
      if (!templateId) throw new NotifyError('No Notify template id is configured for patient links.', true);
      const jwt = notifyJwt(serviceId, secret, (options.now ?? (() => new Date()))());
      let res: Response;
      try {
        res = await fetch(`${base}/v2/notifications/sms`, {
          method: 'POST',
          headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            phone_number: message.to,
            template_id: templateId,
            personalisation: message.params,
            reference: message.reference,
          }),
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new NotifyError(`Text-message service unreachable: ${(error as Error).message}`, false);
      }
      if (res.status === 201) {
        await res.arrayBuffer();
        return;
      }
      const detail = await res.text().then(
        (t) => t.slice(0, 300),
        () => '',
      );
      const permanent = res.status === 400 || res.status === 403;
      throw new NotifyError(`Text-message service answered ${res.status}: ${detail}`, permanent);
    },
  };
}
