import { describe, expect, it } from 'vitest';
import { GOV_UK_NOTIFY_URL, notifyConfigFromEnv } from './notify-config';

describe('the outcome loop channels from the environment', () => {
  it('reads SMTP with STARTTLS and credentials, a Notify key and template, and the public address', () => {
    expect(
      notifyConfigFromEnv({
        DERMDESK_HUB_SMTP_URL: 'smtp://derm%40nhs.net:p%40ss@send.nhs.net:587',
        DERMDESK_HUB_MAIL_FROM: 'teledermatology@nhs.net',
        DERMDESK_HUB_SMTP_REQUIRE_TLS: '1',
        DERMDESK_HUB_NOTIFY_API_KEY: 'live-key',
        DERMDESK_HUB_NOTIFY_PATIENT_LINK_TEMPLATE: 'tpl-1',
        DERMDESK_HUB_PUBLIC_URL: 'https://derm.example.nhs.uk',
      }),
    ).toEqual({
      smtp: {
        host: 'send.nhs.net',
        port: 587,
        secure: false,
        requireTLS: true,
        from: 'teledermatology@nhs.net',
        auth: { user: 'derm@nhs.net', pass: 'p@ss' },
      },
      sms: { baseUrl: GOV_UK_NOTIFY_URL, apiKey: 'live-key', templates: { 'patient-link': 'tpl-1' } },
      publicUrl: 'https://derm.example.nhs.uk',
    });
  });

  it('smtps:// is TLS from the first byte on 465; nothing set is no channel', () => {
    expect(notifyConfigFromEnv({ DERMDESK_HUB_SMTP_URL: 'smtps://relay', DERMDESK_HUB_MAIL_FROM: 'a@b' }).smtp).toEqual(
      {
        host: 'relay',
        port: 465,
        secure: true,
        requireTLS: false,
        from: 'a@b',
      },
    );
    expect(notifyConfigFromEnv({})).toEqual({});
  });

  it('a half-set channel is refused with what is missing', () => {
    expect(() => notifyConfigFromEnv({ DERMDESK_HUB_SMTP_URL: 'smtp://relay' })).toThrow(/DERMDESK_HUB_MAIL_FROM/);
    expect(() => notifyConfigFromEnv({ DERMDESK_HUB_SMTP_URL: 'http://relay', DERMDESK_HUB_MAIL_FROM: 'a@b' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
    expect(() => notifyConfigFromEnv({ DERMDESK_HUB_SMTP_URL: 'not a url', DERMDESK_HUB_MAIL_FROM: 'a@b' })).toThrow(
      /not a URL/,
    );
    expect(() => notifyConfigFromEnv({ DERMDESK_HUB_NOTIFY_API_KEY: 'k' })).toThrow(/PATIENT_LINK_TEMPLATE/);
  });
});
