/**
 * A local SMS gateway in the shape of GatewayAPI's REST API: `POST /rest/mtsms` with
 * `Authorization: Token <token>` and JSON `{ sender, message, recipients: [{ msisdn }], userref }`
 * → 200 `{ ids: [id] }`; errors 4xx `{ code, message }`. Like the real gateway it sends every
 * request it accepts; `duplicates()` counts those whose `userref` had been seen.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeliveryLog, HttpError, isObject, readJson, sendJson, startHttpSimulator, type HttpSimulatorBase } from './http.js';

export interface SmsGatewaySimulatorOptions {
  port?: number;
  token: string;
}

export interface SimulatedSms {
  id: number;
  sender: string;
  message: string;
  /** `+358…` */
  to: string;
  userref: string;
  at: string;
}

export interface SmsGatewaySimulator extends HttpSimulatorBase {
  messages(): SimulatedSms[];
}

const bad = (message: string) => new HttpError(400, { code: '0x0100', message });

export async function startSmsGatewaySimulator(opts: SmsGatewaySimulatorOptions): Promise<SmsGatewaySimulator> {
  const log = new DeliveryLog();
  const sent: SimulatedSms[] = [];
  let nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== '/rest/mtsms') return sendJson(res, 404, { code: '0x0404', message: 'Not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { code: '0x0405', message: 'Method not allowed' });
    if ((req.headers.authorization ?? '') !== `Token ${opts.token}`) {
      req.resume();
      return sendJson(res, 401, { code: '0x0213', message: 'Unauthorized: invalid or missing token' });
    }
    const b = await readJson(req);
    if (!isObject(b)) throw bad('Body must be a JSON object');
    const { sender, message, recipients, userref } = b;
    if (typeof sender !== 'string' || !(/^[A-Za-z0-9 ]{1,11}$/.test(sender) || /^\+?[0-9]{1,15}$/.test(sender))) {
      throw bad('sender: up to 11 letters or digits, or up to 15 digits');
    }
    if (typeof message !== 'string' || message.length < 1 || message.length > 1530) throw bad('message: 1–1530 characters');
    if (!Array.isArray(recipients) || recipients.length < 1) throw bad('recipients: at least one');
    const msisdns: number[] = [];
    for (const r of recipients) {
      const n = isObject(r) ? r.msisdn : undefined;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1e7 || n > 999_999_999_999_999) throw bad('recipients: msisdn must be an integer with country code');
      msisdns.push(n);
    }
    if (userref !== undefined && (typeof userref !== 'string' || userref.length > 255)) throw bad('userref: a string of at most 255 characters');
    const key = typeof userref === 'string' ? userref : '';
    if (key) log.seen(key);
    const id = nextId++;
    const at = new Date().toISOString();
    for (const n of msisdns) {
      const to = `+${n}`;
      sent.unshift({ id, sender, message, to, userref: key, at });
      log.add({ channel: 'sms', to, subject: message, language: '', at, messageId: String(id), key });
    }
    return sendJson(res, 200, { ids: [id] });
  };

  const base = await startHttpSimulator(opts.port ?? 0, log, handler);
  return { ...base, messages: () => [...sent] };
}
