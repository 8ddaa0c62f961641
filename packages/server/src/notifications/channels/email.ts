/**
 * E-mail over SMTP with nodemailer's pooled transport. The message's idempotency key is its
 * Message-ID (`<key@puolesta>`), so a resent message is recognisable as the same one.
 */
import nodemailer, { type NodemailerError, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import type { ChannelAdapter, DeliveryResult, OutgoingMessage } from '../types.js';

export interface EmailTransportOptions {
  /** Keep connections open and reuse them (default true). */
  pool?: boolean;
  /** Open connections at most (pooled; default 5). */
  maxConnections?: number;
  /** Milliseconds to wait for the TCP connection (default 10 s). */
  connectionTimeout?: number;
  /** Milliseconds to wait for the greeting (default 10 s). */
  greetingTimeout?: number;
  /** Milliseconds of silence before the socket is given up (default 60 s). */
  socketTimeout?: number;
}

export interface EmailChannelOptions extends EmailTransportOptions {
  /** `smtp://host:port` (`smtps://` for implicit TLS; `user:pass@` for AUTH). */
  url: string;
  /** The From address, e.g. `"Puolesta" <no-reply@puolesta.fi>`. */
  from: string;
}

/** The nodemailer transport the channel uses, for the benchmark's raw sends with the same settings. */
export function createEmailTransport(url: string, opts: EmailTransportOptions = {}): Transporter {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const options: SMTPPoolOptions = {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    pool: opts.pool ?? true,
    maxConnections: opts.maxConnections ?? 5,
    connectionTimeout: opts.connectionTimeout ?? 10_000,
    greetingTimeout: opts.greetingTimeout ?? 10_000,
    socketTimeout: opts.socketTimeout ?? 60_000,
    // A message whose connection broke goes back to the worker (retry), not round the pool again.
    maxRequeues: 0,
  };
  if (u.username) options.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  return nodemailer.createTransport(options as SMTPPoolOptions & { pool: true });
}

/** Maps a nodemailer failure to the worker's terms; the reason is a code, never the server's free text. */
export function classifySmtpError(e: unknown): DeliveryResult {
  const err = (e ?? {}) as NodemailerError;
  const code = typeof err.code === 'string' ? err.code : 'ERROR';
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const permanent = err.permanent ?? (rc !== undefined && rc >= 500 && rc !== 503);
  if (rc !== undefined && permanent) {
    const reason = code === 'EENVELOPE' || err.command === 'RCPT TO' ? 'RECIPIENT_REJECTED' : 'MESSAGE_REJECTED';
    return { status: 'unavailable', reason: `${reason} (SMTP ${rc})` };
  }
  const detail = rc !== undefined ? `SMTP ${rc}` : err.originalCode ?? code;
  return { status: 'retry', reason: `${code} (${detail})` };
}

export function createEmailChannel(opts: EmailChannelOptions): ChannelAdapter {
  const transport = createEmailTransport(opts.url, opts);
  return {
    channel: 'email',
    async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
      const to = m.recipient.email?.trim();
      if (!to) return { status: 'unavailable', reason: 'NO_EMAIL_ADDRESS' };
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: m.recipient.name ? { name: m.recipient.name, address: to } : to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: `<${m.idempotencyKey}@puolesta>`,
          headers: { 'Content-Language': m.language },
        });
        const rejected = (info as { rejected?: unknown[] }).rejected ?? [];
        if (rejected.length > 0) return { status: 'unavailable', reason: 'RECIPIENT_REJECTED' };
        return { status: 'delivered', providerId: String((info as { messageId?: string }).messageId ?? `<${m.idempotencyKey}@puolesta>`) };
      } catch (e) {
        return classifySmtpError(e);
      }
    },
    async close() {
      transport.close();
    },
  };
}
