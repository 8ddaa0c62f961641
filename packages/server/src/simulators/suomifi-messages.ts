/**
 * A local Suomi.fi Messages REST API (see docs NATIONAL-APIS.md): `/v1/token`,
 * `/v1/mailboxes/active`, `/v2/messages/electronic`, `/v2/messages` (with paper mail) and
 * `/v2/attachments`. It validates like the real one (400 with `validationErrors`), answers 409 with
 * the earlier `messageId` to a repeated `externalId`, 401 to a missing or expired token, and 400
 * MAILBOX_NOT_IN_USE to an electronic message for someone without an active mailbox.
 *
 * The API identifies recipients by identity code only; the simulator never shows one. What it lists
 * names the recipient by the name it was given (`names`), or else by a salted pseudonym.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeliveryLog, HttpError, isObject, readJson, readMultipart, sendJson, startHttpSimulator, type HttpSimulatorBase } from './http.js';

export interface SuomifiSimulatorOptions {
  port?: number;
  /** Identity codes (or business ids) with an active mailbox. */
  mailboxes: Iterable<string>;
  username: string;
  password: string;
  /** Names to show for recipients on the demo page (never the id itself). */
  names?: Map<string, string>;
  /** Token lifetime in seconds (default 3600). */
  tokenLifetime?: number;
}

export interface SuomifiSimulatedMessage {
  messageId: string;
  externalId: string;
  /** The recipient's name or pseudonym — never the identity code. */
  to: string;
  serviceId: string;
  title: string;
  body: string;
  bodyFormat: string;
  /** 'electronic' when it went to the mailbox, 'paper' when printed (paper fallback). */
  delivery: 'electronic' | 'paper';
  attachments: string[];
  at: string;
}

export interface SuomifiSimulator extends HttpSimulatorBase {
  messages(): SuomifiSimulatedMessage[];
  /** Messages sent to this recipient (looked up by pseudonym; the id is not stored). */
  messagesFor(id: string): SuomifiSimulatedMessage[];
  setMailbox(id: string, active: boolean): void;
  /** Makes every issued token expire now (the next call with one gets 401). */
  expireTokens(): void;
  /** How many tokens have been issued. */
  tokensIssued(): number;
  attachments(): { attachmentId: string; size: number; contentType: string }[];
}

const MAX_ATTACHMENT = 10 * 1024 * 1024;

interface ValidationError {
  error: string;
  errorCode: string;
}

class Validator {
  readonly errors: ValidationError[] = [];
  str(v: unknown, field: string, min: number, max: number): string {
    if (typeof v !== 'string') {
      this.errors.push({ error: `${field} is required`, errorCode: 'REQUIRED' });
      return '';
    }
    if (v.length < min || v.length > max) this.errors.push({ error: `${field} length must be between ${min} and ${max}`, errorCode: 'INVALID_LENGTH' });
    return v;
  }
  oneOf(v: unknown, field: string, allowed: string[]): string {
    if (typeof v !== 'string' || !allowed.includes(v)) {
      this.errors.push({ error: `${field} must be one of: ${allowed.join(', ')}`, errorCode: 'INVALID_VALUE' });
      return '';
    }
    return v;
  }
  obj(v: unknown, field: string): Record<string, unknown> {
    if (!isObject(v)) {
      this.errors.push({ error: `${field} is required`, errorCode: 'REQUIRED' });
      return {};
    }
    return v;
  }
  bool(v: unknown, field: string): void {
    if (typeof v !== 'boolean') this.errors.push({ error: `${field} must be a boolean`, errorCode: 'INVALID_VALUE' });
  }
  address(v: unknown, field: string): string {
    const a = this.obj(v, field);
    const name = this.str(a.name, `${field}.name`, 1, 100);
    this.str(a.streetAddress, `${field}.streetAddress`, 1, 100);
    this.str(a.zipCode, `${field}.zipCode`, 1, 20);
    this.str(a.city, `${field}.city`, 1, 50);
    this.str(a.countryCode, `${field}.countryCode`, 2, 2);
    return name;
  }
  fail(): never {
    throw new HttpError(400, { reason: 'Validation failed', validationErrors: this.errors });
  }
}

export async function startSuomifiMessagesSimulator(opts: SuomifiSimulatorOptions): Promise<SuomifiSimulator> {
  const log = new DeliveryLog();
  const active = new Set(opts.mailboxes);
  const names = opts.names ?? new Map<string, string>();
  const salt = randomBytes(16);
  const tokens = new Map<string, number>(); // token → expiry (ms)
  let issued = 0;
  const byExternalId = new Map<string, string>();
  const messages: SuomifiSimulatedMessage[] = [];
  const attachments = new Map<string, { size: number; contentType: string }>();
  const lifetime = opts.tokenLifetime ?? 3600;

  const pseudonym = (id: string) => `Vastaanottaja ${createHash('sha256').update(salt).update(id).digest('hex').slice(0, 8)}`;
  const displayName = (id: string) => names.get(id) ?? pseudonym(id);

  const authorize = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const expiry = tokens.get(token);
    if (!token || expiry === undefined || expiry <= Date.now()) {
      throw new HttpError(401, { reason: 'Unauthorized: missing or expired access token' });
    }
  };

  /** Validates the shared fields of `/v2/messages/electronic` and `/v2/messages`. */
  const validateMessage = (body: unknown, v: Validator, electronicRequired: boolean) => {
    const b = v.obj(body, 'body');
    const externalId = v.str(b.externalId, 'externalId', 1, 256);
    const recipientId = v.str(v.obj(b.recipient, 'recipient').id, 'recipient.id', 1, 64);
    const serviceId = v.str(v.obj(b.sender, 'sender').serviceId, 'sender.serviceId', 1, 256);
    let title = '';
    let text = '';
    let bodyFormat = '';
    const attachmentIds: string[] = [];
    if (electronicRequired || b.electronic !== undefined) {
      const e = v.obj(b.electronic, 'electronic');
      title = v.str(e.title, 'electronic.title', 1, 256);
      text = v.str(e.body, 'electronic.body', 1, 40000);
      bodyFormat = v.oneOf(e.bodyFormat, 'electronic.bodyFormat', ['Text', 'Markdown']);
      v.oneOf(e.messageServiceType, 'electronic.messageServiceType', ['Normal', 'Verifiable']);
      v.oneOf(e.replyAllowedBy, 'electronic.replyAllowedBy', ['Anyone', 'No one']);
      v.oneOf(e.visibility, 'electronic.visibility', ['Normal', 'Recipient only']);
      if (e.attachments !== undefined) {
        if (!Array.isArray(e.attachments) || e.attachments.length > 50) {
          v.errors.push({ error: 'electronic.attachments: at most 50', errorCode: 'INVALID_LENGTH' });
        } else {
          for (const a of e.attachments) {
            const id = isObject(a) ? a.attachmentId : undefined;
            if (typeof id !== 'string' || !attachments.has(id)) v.errors.push({ error: 'electronic.attachments: unknown attachmentId', errorCode: 'ATTACHMENT_NOT_FOUND' });
            else attachmentIds.push(id);
          }
        }
      }
      const n = v.obj(e.notifications, 'electronic.notifications');
      v.oneOf(n.senderDetailsInNotifications, 'electronic.notifications.senderDetailsInNotifications', ['Organisation and service name', 'None']);
      v.oneOf(v.obj(n.unreadMessageNotification, 'electronic.notifications.unreadMessageNotification').reminder, 'electronic.notifications.unreadMessageNotification.reminder', ['Default reminder', 'No reminders']);
    }
    return { b, externalId, recipientId, serviceId, title, text, bodyFormat, attachmentIds };
  };

  const recipientOf = new Map<string, string>(); // messageId → pseudonym
  const store = (recipientId: string, msg: Omit<SuomifiSimulatedMessage, 'messageId' | 'at'>) => {
    const messageId = randomUUID();
    recipientOf.set(messageId, pseudonym(recipientId));
    const at = new Date().toISOString();
    byExternalId.set(msg.externalId, messageId);
    log.seen(msg.externalId);
    messages.unshift({ ...msg, messageId, at });
    log.add({ channel: 'suomifi', to: msg.to, subject: msg.title, language: '', at, messageId, key: msg.externalId });
    return messageId;
  };

  const duplicate = (externalId: string) => {
    const earlier = byExternalId.get(externalId);
    if (earlier === undefined) return false;
    log.seen(externalId);
    throw new HttpError(409, { messageId: earlier, reason: 'A message with this externalId has already been sent' });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'POST /v1/token': {
        const b = await readJson(req);
        if (!isObject(b) || b.username !== opts.username || b.password !== opts.password) {
          return sendJson(res, 400, { reason: 'Invalid username or password' });
        }
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, Date.now() + lifetime * 1000);
        issued++;
        return sendJson(res, 200, { access_token: token, expires_in: lifetime, token_type: 'bearer' });
      }
      case 'POST /v1/mailboxes/active': {
        authorize(req);
        const b = await readJson(req, 4 * 1024 * 1024);
        const endUsers = isObject(b) ? b.endUsers : undefined;
        if (!Array.isArray(endUsers) || endUsers.length < 1 || endUsers.length > 10000 || !endUsers.every((u) => isObject(u) && typeof u.id === 'string')) {
          return sendJson(res, 400, { reason: 'Validation failed', validationErrors: [{ error: 'endUsers: 1–10000 items with id', errorCode: 'INVALID_LENGTH' }] });
        }
        const ids = (endUsers as { id: string }[]).map((u) => u.id);
        return sendJson(res, 200, { endUsersWithActiveMailbox: ids.filter((id) => active.has(id)).map((id) => ({ id })) });
      }
      case 'POST /v2/messages/electronic': {
        authorize(req);
        const v = new Validator();
        const m = validateMessage(await readJson(req), v, true);
        if (v.errors.length) v.fail();
        duplicate(m.externalId);
        if (!active.has(m.recipientId)) {
          return sendJson(res, 400, { reason: 'Recipient does not have an active mailbox', validationErrors: [{ error: 'Recipient does not have an active mailbox', errorCode: 'MAILBOX_NOT_IN_USE' }] });
        }
        const messageId = store(m.recipientId, { externalId: m.externalId, to: displayName(m.recipientId), serviceId: m.serviceId, title: m.title, body: m.text, bodyFormat: m.bodyFormat, delivery: 'electronic', attachments: m.attachmentIds });
        return sendJson(res, 200, { messageId });
      }
      case 'POST /v2/messages': {
        authorize(req);
        const v = new Validator();
        const m = validateMessage(await readJson(req), v, false);
        const p = v.obj(m.b.paperMail, 'paperMail');
        const recipientName = v.address(v.obj(p.recipient, 'paperMail.recipient').address, 'paperMail.recipient.address');
        v.address(v.obj(p.sender, 'paperMail.sender').address, 'paperMail.sender.address');
        v.bool(p.colorPrinting, 'paperMail.colorPrinting');
        v.bool(p.twoSidedPrinting, 'paperMail.twoSidedPrinting');
        v.obj(p.printingAndEnvelopingService, 'paperMail.printingAndEnvelopingService');
        const paperAttachments = Array.isArray(p.attachments) ? p.attachments : [];
        const paperId = isObject(paperAttachments[0]) ? paperAttachments[0].attachmentId : undefined;
        if (paperAttachments.length !== 1 || typeof paperId !== 'string' || !attachments.has(paperId)) {
          v.errors.push({ error: 'paperMail.attachments: exactly one uploaded attachment', errorCode: 'INVALID_LENGTH' });
        }
        if (v.errors.length) v.fail();
        duplicate(m.externalId);
        const electronic = m.b.electronic !== undefined && active.has(m.recipientId);
        const messageId = store(m.recipientId, {
          externalId: m.externalId,
          to: names.get(m.recipientId) ?? recipientName,
          serviceId: m.serviceId,
          title: m.title,
          body: m.text,
          bodyFormat: m.bodyFormat,
          delivery: electronic ? 'electronic' : 'paper',
          attachments: electronic ? m.attachmentIds : [paperId as string],
        });
        return sendJson(res, 200, { messageId });
      }
      case 'POST /v2/attachments': {
        authorize(req);
        const form = await readMultipart(req, MAX_ATTACHMENT + 1024 * 1024);
        const file = form.get('file');
        if (!(file instanceof Blob)) {
          return sendJson(res, 400, { reason: 'Validation failed', validationErrors: [{ error: 'file is required', errorCode: 'REQUIRED' }] });
        }
        if (file.size > MAX_ATTACHMENT) return sendJson(res, 413, { reason: 'Attachment larger than 10 MiB' });
        const head = Buffer.from(await file.slice(0, 5).arrayBuffer()).toString('latin1');
        if (file.type !== 'application/pdf' || head !== '%PDF-') return sendJson(res, 415, { reason: 'Unsupported media type: only PDF' });
        const attachmentId = randomUUID();
        attachments.set(attachmentId, { size: file.size, contentType: file.type });
        return sendJson(res, 201, { attachmentId });
      }
      default:
        return sendJson(res, 404, { reason: 'Not found' });
    }
  };

  const base = await startHttpSimulator(opts.port ?? 0, log, handler);
  return {
    ...base,
    messages: () => [...messages],
    messagesFor: (id) => {
      const p = pseudonym(id);
      return messages.filter((m) => recipientOf.get(m.messageId) === p);
    },
    setMailbox: (id, on) => {
      if (on) active.add(id);
      else active.delete(id);
    },
    expireTokens: () => {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    tokensIssued: () => issued,
    attachments: () => [...attachments].map(([attachmentId, a]) => ({ attachmentId, ...a })),
  };
}
