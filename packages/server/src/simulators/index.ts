/**
 * All four channel simulators at once, for the demo and the tests: SMTP, Suomi.fi Messages, the SMS
 * gateway and the print service, each a real server on 127.0.0.1 on a random port.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedDelivery } from '../notifications/types.js';
import { startPrintServiceSimulator, type PrintServiceSimulator } from './print-service.js';
import { startSmsGatewaySimulator, type SmsGatewaySimulator } from './sms-gateway.js';
import { startSmtpSimulator, type SmtpSimulator } from './smtp.js';
import { startSuomifiMessagesSimulator, type SuomifiSimulator } from './suomifi-messages.js';

export { startPrintServiceSimulator, startSmsGatewaySimulator, startSmtpSimulator, startSuomifiMessagesSimulator };
export type { PrintServiceSimulator, SmsGatewaySimulator, SmtpSimulator, SuomifiSimulator };

export interface SimulatorsConfig {
  smtpUrl: string;
  suomifiUrl: string;
  suomifiUsername: string;
  suomifiPassword: string;
  smsUrl: string;
  smsToken: string;
  printUrl: string;
}

export interface Simulators {
  smtp: SmtpSimulator;
  suomifi: SuomifiSimulator;
  sms: SmsGatewaySimulator;
  print: PrintServiceSimulator;
  config: SimulatorsConfig;
  /** What all four received, newest first. */
  received(): Promise<SimulatedDelivery[]>;
  close(): Promise<void>;
}

export interface SimulatorsOptions {
  /** People known to the demo: who has a Suomi.fi mailbox, and names to show instead of ids. */
  persons: { id: string; name: string; hasMailbox: boolean }[];
}

export async function startSimulators(opts: SimulatorsOptions): Promise<Simulators> {
  const suomifiUsername = 'puolesta';
  const suomifiPassword = randomBytes(12).toString('base64url');
  const smsToken = randomBytes(18).toString('base64url');
  const started: { close(): Promise<void> }[] = [];
  try {
    const smtp = await startSmtpSimulator();
    started.push(smtp);
    const suomifi = await startSuomifiMessagesSimulator({
      mailboxes: opts.persons.filter((p) => p.hasMailbox).map((p) => p.id),
      names: new Map(opts.persons.map((p) => [p.id, p.name])),
      username: suomifiUsername,
      password: suomifiPassword,
    });
    started.push(suomifi);
    const sms = await startSmsGatewaySimulator({ token: smsToken });
    started.push(sms);
    const print = await startPrintServiceSimulator();
    started.push(print);
    return {
      smtp,
      suomifi,
      sms,
      print,
      config: { smtpUrl: smtp.smtpUrl, suomifiUrl: suomifi.url, suomifiUsername, suomifiPassword, smsUrl: sms.url, smsToken, printUrl: print.url },
      received: async () =>
        [...smtp.received(), ...suomifi.received(), ...sms.received(), ...print.received()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)),
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}
