import type { MessageChannel, MessageTemplate } from '../store/outcome-loop-repository';

/**
 * The notifier port: how the hub tells a practice or a patient that something is waiting. A
 * message names a template and carries only a link and a reference (never clinical data); each
 * channel's adapter turns it into an email (SMTP) or a text message (a GOV.UK Notify-shaped
 * HTTP API). The message worker calls it for queued rows and retries what it throws.
 */
export interface OutgoingMessage {
  channel: MessageChannel;
  template: MessageTemplate;
  to: string;
  params: Record<string, string>;
  reference: string;
}

export interface ChannelSender {
  send(message: OutgoingMessage): Promise<void>;
}

/** A send that failed. `permanent`: retrying cannot help (bad address, refused credentials). */
export class NotifyError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
}

export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
  /** Whether a channel is configured (the GP page offers only those). */
  has(channel: MessageChannel): boolean;
}

/** Routes each message to its channel's adapter; an unconfigured channel is a permanent failure. */
export function channelNotifier(senders: Partial<Record<MessageChannel, ChannelSender>>): Notifier {
  return {
    has: (channel) => senders[channel] !== undefined,
    async send(message) {
      const sender = senders[message.channel];
      if (!sender) throw new NotifyError(`No ${message.channel} service is configured on this hub.`, true);
      await sender.send(message);
    },
  };
}
