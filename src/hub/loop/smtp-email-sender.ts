import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { renderMessage } from './message-templates';
import { NotifyError, type ChannelSender } from './notifier';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds (NHSmail relays require it). */
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  /** Extra TLS options (tests pass a self-signed CA). */
  tls?: SMTPTransport.Options['tls'];
}

/** Email over SMTP with nodemailer; 5xx replies are permanent, everything else is retried. */
export function smtpEmailSender(options: SmtpOptions): ChannelSender & { close(): void } {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTLS ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      const { subject, text } = renderMessage(message.template, message.params);
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject,
          text,
          headers: { 'X-DermDesk-Reference': message.reference },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        throw new NotifyError(`SMTP: ${(error as Error).message}`.slice(0, 500), permanent);
      }
    },
    close: () => transport.close(),
  };
}
