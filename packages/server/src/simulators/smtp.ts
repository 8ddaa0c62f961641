/**
 * A local SMTP server (smtp-server, no AUTH, no STARTTLS) that parses what it accepts (mailparser)
 * and shows it over a small HTTP inspection server:
 * - `GET /_simulator/received` → `{ deliveries }` newest first;
 * - `GET /_simulator/messages/{messageId}/html` → the e-mail's HTML part (text/html).
 * It can be stopped and restarted on the same port, slowed down, and told to reject recipients (550).
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedDelivery } from '../notifications/types.js';
import { DeliveryLog, listen, sendJson, startHttpSimulator } from './http.js';

export interface SimulatedEmail {
  /** The Message-ID header, angle brackets included. */
  messageId: string;
  /** The idempotency key: the Message-ID's local part. */
  key: string;
  /** Envelope recipients. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The Content-Language header. */
  language: string;
  at: string;
}

export interface SmtpSimulator {
  /** `smtp://127.0.0.1:PORT` */
  smtpUrl: string;
  smtpPort: number;
  /** The HTTP inspection server, `http://127.0.0.1:PORT`. */
  url: string;
  messages(): SimulatedEmail[];
  received(): SimulatedDelivery[];
  duplicates(): number;
  /** Close the SMTP listener and drop its connections. */
  stop(): Promise<void>;
  /** Open the SMTP listener again on the same port. */
  restart(): Promise<void>;
  /** Wait this long after a message's data before accepting it (250). */
  setDelay(ms: number): void;
  /** Answer 550 to RCPT TO for addresses this returns true for. */
  setReject(reject: ((address: string) => boolean) | null): void;
  close(): Promise<void>;
}

export interface SmtpSimulatorOptions {
  port?: number;
  httpPort?: number;
}

function keyOf(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  return at > 0 ? bare.slice(0, at) : bare;
}

export async function startSmtpSimulator(opts: SmtpSimulatorOptions = {}): Promise<SmtpSimulator> {
  const log = new DeliveryLog();
  const mails: SimulatedEmail[] = [];
  let delayMs = 0;
  let reject: ((address: string) => boolean) | null = null;

  const createServer = () => {
    const server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      logger: false,
      // A stopped simulator must go down now, not after the default 30 s grace period.
      closeTimeout: 50,
      size: 25 * 1024 * 1024,
      onRcptTo(address, _session, callback) {
        if (reject?.(address.address)) {
          const err = new Error('Recipient address rejected: mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          return callback(err);
        }
        callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then(async (parsed) => {
            if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
            const messageId = parsed.messageId ?? `<${Date.now()}.${Math.random().toString(36).slice(2)}@simulator>`;
            const language = parsed.headers.get('content-language');
            const mail: SimulatedEmail = {
              messageId,
              key: keyOf(messageId),
              to: session.envelope.rcptTo.map((a) => a.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              language: typeof language === 'string' ? language : '',
              at: new Date().toISOString(),
            };
            log.seen(mail.key);
            mails.unshift(mail);
            for (const to of mail.to) {
              log.add({ channel: 'email', to, subject: mail.subject, language: mail.language, at: mail.at, messageId, key: mail.key });
            }
            callback(null, `Message queued as ${messageId}`);
          })
          .catch((e: unknown) => callback(e instanceof Error ? e : new Error('Could not parse the message')));
      },
    });
    // A client that vanishes mid-session (ECONNRESET, a killed process) is an 'error' event on the
    // server; unheard, it would take the whole simulator down.
    server.on('error', () => {});
    return server;
  };

  let smtp = createServer();
  await listen(smtp, opts.port ?? 0);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  let running = true;

  const http = await startHttpSimulator(opts.httpPort ?? 0, log, (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = /^\/_simulator\/messages\/([^/]+)\/html$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const wanted = decodeURIComponent(m[1]!).replace(/^<|>$/g, '');
      const mail = mails.find((x) => x.messageId.replace(/^<|>$/g, '') === wanted);
      if (!mail) return sendJson(res, 404, { reason: 'No such message' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(mail.html);
    }
    sendJson(res, 404, { reason: 'Not found' });
  });

  const stop = async () => {
    if (!running) return;
    running = false;
    const server = smtp;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Drop open (pooled) connections at once, like a server going down.
      for (const c of server.connections) c.close();
    });
  };

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smtpPort,
    url: http.url,
    messages: () => [...mails],
    received: () => log.received(),
    duplicates: () => log.duplicates(),
    stop,
    restart: async () => {
      if (running) return;
      smtp = createServer();
      await listen(smtp, smtpPort);
      running = true;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setReject: (fn) => {
      reject = fn;
    },
    close: async () => {
      await stop();
      await http.close();
    },
  };
}
