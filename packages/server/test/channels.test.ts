/**
 * Each channel adapter against its local simulator, over the real protocol (SMTP, HTTP JSON,
 * multipart): delivered, duplicate keys counted, unavailable and retry cases.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutgoingMessage } from '../src/notifications/types.js';
import { createEmailChannel } from '../src/notifications/channels/email.js';
import { startSmtpSimulator, type SmtpSimulator } from '../src/simulators/smtp.js';
import { createSuomifiChannel, type SuomifiChannel } from '../src/notifications/channels/suomifi-messages.js';
import { createSmsChannel, toMsisdn } from '../src/notifications/channels/sms.js';
import { createPaperChannel, renderLetterPdf } from '../src/notifications/channels/paper.js';
import { startSuomifiMessagesSimulator, type SuomifiSimulator } from '../src/simulators/suomifi-messages.js';
import { startSmsGatewaySimulator, type SmsGatewaySimulator } from '../src/simulators/sms-gateway.js';
import { startPrintServiceSimulator, type PrintServiceSimulator } from '../src/simulators/print-service.js';
import { startSimulators } from '../src/simulators/index.js';

const PERSON_ID = '010190-987P';

function message(over: Partial<Omit<OutgoingMessage, 'recipient'>> & { recipient?: Partial<OutgoingMessage['recipient']> } = {}): OutgoingMessage {
  const { recipient, ...rest } = over;
  return {
    idempotencyKey: `n-${randomUUID()}`,
    language: 'fi',
    subject: 'Valtuutus myönnetty: Äiti voi asioida puolestasi',
    text: 'Hei Sanna,\n\nÄiti voi nyt asioida puolestasi.\n\nhttps://puolesta.example/valtuudet/1',
    html: '<p>Hei Sanna,</p><p>Äiti voi nyt asioida puolestasi.</p><p><a href="https://puolesta.example/valtuudet/1">Valtuus</a></p>',
    sms: 'Puolesta: Äiti voi asioida puolestasi. https://puolesta.example/v/1',
    link: 'https://puolesta.example/valtuudet/1',
    senderMunicipality: '753',
    ...rest,
    recipient: {
      personId: PERSON_ID,
      name: 'Sanna Säkkinen',
      email: 'sanna@example.fi',
      phone: '+358 40 123 4914',
      municipality: '753',
      municipalityName: 'Sipoo',
      ...recipient,
    },
  };
}

async function receivedOverHttp(url: string): Promise<string> {
  const res = await fetch(`${url}/_simulator/received`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('e-mail channel against the SMTP simulator', () => {
  let smtp: SmtpSimulator;
  let email: ChannelAdapter;
  beforeAll(async () => {
    smtp = await startSmtpSimulator();
    email = createEmailChannel({ url: smtp.smtpUrl, from: '"Puolesta" <no-reply@puolesta.example>', connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 5000 });
  });
  afterAll(async () => {
    await email.close?.();
    await smtp.close();
  });

  it('delivers text and HTML parts with Message-ID, Content-Language and subject', async () => {
    const m = message({ language: 'sv', subject: 'Fullmakt beviljad: åäö' });
    const r = await email.deliver(m);
    expect(r).toEqual({ status: 'delivered', providerId: `<${m.idempotencyKey}@puolesta>` });
    const mail = smtp.messages().find((x) => x.key === m.idempotencyKey);
    expect(mail).toBeDefined();
    expect(mail!.messageId).toBe(`<${m.idempotencyKey}@puolesta>`);
    expect(mail!.subject).toBe('Fullmakt beviljad: åäö');
    expect(mail!.text.trim()).toBe(m.text);
    expect(mail!.html).toContain('<p>Äiti voi nyt asioida puolestasi.</p>');
    expect(mail!.language).toBe('sv');
    expect(mail!.to).toEqual(['sanna@example.fi']);

    const body = await receivedOverHttp(smtp.url);
    const { deliveries } = JSON.parse(body) as { deliveries: { key: string; to: string; channel: string; language: string }[] };
    expect(deliveries[0]).toMatchObject({ channel: 'email', key: m.idempotencyKey, to: 'sanna@example.fi', language: 'sv' });
    expect(body).not.toContain(PERSON_ID);

    const html = await fetch(`${smtp.url}/_simulator/messages/${encodeURIComponent(mail!.messageId)}/html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Äiti voi nyt asioida puolestasi.');
  });

  it('a resent key is delivered again but counted as a duplicate', async () => {
    const before = smtp.duplicates();
    const m = message();
    expect((await email.deliver(m)).status).toBe('delivered');
    expect(smtp.duplicates()).toBe(before);
    expect((await email.deliver(m)).status).toBe('delivered');
    expect(smtp.duplicates()).toBe(before + 1);
  });

  it('no address, or a recipient the server rejects (550), is unavailable', async () => {
    expect(await email.deliver(message({ recipient: { email: null } }))).toEqual({ status: 'unavailable', reason: 'NO_EMAIL_ADDRESS' });
    smtp.setReject((a) => a === 'gone@example.fi');
    try {
      const r = await email.deliver(message({ recipient: { email: 'gone@example.fi' } }));
      expect(r.status).toBe('unavailable');
      expect(r.status === 'unavailable' && r.reason).toMatch(/^RECIPIENT_REJECTED/);
    } finally {
      smtp.setReject(null);
    }
  });

  it('a server slower than the socket timeout is a retry; it kept the message, so the resend is a duplicate', async () => {
    const impatient = createEmailChannel({ url: smtp.smtpUrl, from: 'no-reply@puolesta.example', pool: false, socketTimeout: 150 });
    const m = message();
    const before = smtp.duplicates();
    smtp.setDelay(400);
    try {
      const r = await impatient.deliver(m);
      expect(r.status).toBe('retry');
      expect(r.status === 'retry' && r.reason).toMatch(/ETIMEDOUT/);
    } finally {
      smtp.setDelay(0);
      await impatient.close?.();
    }
    await new Promise((r) => setTimeout(r, 400));
    expect(smtp.messages().some((x) => x.key === m.idempotencyKey)).toBe(true);
    expect((await email.deliver(m)).status).toBe('delivered');
    expect(smtp.duplicates()).toBe(before + 1);
  });

  it('survives a client that vanishes in the middle of DATA (a killed sender)', async () => {
    const socket = connect(smtp.smtpPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    for (const line of ['EHLO killed.example', 'MAIL FROM:<a@example.fi>', 'RCPT TO:<b@example.fi>', 'DATA']) {
      socket.write(`${line}\r\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    socket.write('Subject: half\r\n\r\nhalf a message');
    socket.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50));
    expect((await email.deliver(message())).status).toBe('delivered');
  });

  it('a stopped server is a retry; after restart on the same port delivery works again', async () => {
    await smtp.stop();
    const m = message();
    const r = await email.deliver(m);
    expect(r.status).toBe('retry');
    expect(JSON.stringify(r)).not.toContain(PERSON_ID);
    await smtp.restart();
    expect(await email.deliver(m)).toEqual({ status: 'delivered', providerId: `<${m.idempotencyKey}@puolesta>` });
  });
});

describe('Suomi.fi Messages channel against its simulator', () => {
  const NO_MAILBOX = '020202A9981';
  let sim: SuomifiSimulator;
  let suomifi: SuomifiChannel;
  beforeAll(async () => {
    sim = await startSuomifiMessagesSimulator({ mailboxes: [PERSON_ID], username: 'u', password: 'p', names: new Map([[PERSON_ID, 'Sanna Säkkinen']]) });
    suomifi = createSuomifiChannel({ baseUrl: sim.url, username: 'u', password: 'p', serviceId: 'puolesta-service', timeoutMs: 2000 });
  });
  afterAll(() => sim.close());

  it('delivers to an active mailbox with externalId = idempotency key; lists the name, never the id', async () => {
    const m = message();
    const r = await suomifi.deliver(m);
    expect(r.status).toBe('delivered');
    const stored = sim.messagesFor(PERSON_ID);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ externalId: m.idempotencyKey, title: m.subject, body: m.text, bodyFormat: 'Text', serviceId: 'puolesta-service', to: 'Sanna Säkkinen', delivery: 'electronic' });
    expect(r.status === 'delivered' && r.providerId).toBe(stored[0]!.messageId);
    const body = await receivedOverHttp(sim.url);
    expect(JSON.parse(body).deliveries[0]).toMatchObject({ channel: 'suomifi', to: 'Sanna Säkkinen', key: m.idempotencyKey });
    expect(body).not.toContain(PERSON_ID);
    expect(await suomifi.activeMailboxes([PERSON_ID, NO_MAILBOX])).toEqual(new Set([PERSON_ID]));
  });

  it('a repeated externalId is a 409 with the earlier messageId: delivered, counted as a duplicate', async () => {
    const m = message();
    const first = await suomifi.deliver(m);
    const before = sim.duplicates();
    const again = await suomifi.deliver(m);
    expect(again).toEqual(first);
    expect(sim.duplicates()).toBe(before + 1);
  });

  it('no active mailbox is unavailable, both at the check and at the send', async () => {
    expect(await suomifi.deliver(message({ recipient: { personId: NO_MAILBOX } }))).toEqual({ status: 'unavailable', reason: 'MAILBOX_NOT_IN_USE' });
    // The mailbox closes between the check and the send: the API's own 400 MAILBOX_NOT_IN_USE.
    const res = await fetch(`${sim.url}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u', password: 'p' }) });
    const { access_token } = (await res.json()) as { access_token: string };
    const send = await fetch(`${sim.url}/v2/messages/electronic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ externalId: 'x-1', recipient: { id: NO_MAILBOX }, sender: { serviceId: 's' }, electronic: { title: 't', body: 'b', bodyFormat: 'Text', messageServiceType: 'Normal', replyAllowedBy: 'No one', visibility: 'Normal', notifications: { senderDetailsInNotifications: 'Organisation and service name', unreadMessageNotification: { reminder: 'Default reminder' } } } }),
    });
    expect(send.status).toBe(400);
    const text = await send.text();
    expect(JSON.parse(text).validationErrors[0].errorCode).toBe('MAILBOX_NOT_IN_USE');
    expect(text).not.toContain(NO_MAILBOX);
  });

  it('validates like the real API: missing fields are a 400 with validationErrors', async () => {
    const res = await fetch(`${sim.url}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u', password: 'p' }) });
    const { access_token } = (await res.json()) as { access_token: string };
    const send = await fetch(`${sim.url}/v2/messages/electronic`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` }, body: JSON.stringify({ externalId: '', recipient: { id: PERSON_ID } }) });
    expect(send.status).toBe(400);
    const errors = ((await send.json()) as { validationErrors: { error: string }[] }).validationErrors.map((e) => e.error);
    expect(errors.some((e) => e.startsWith('externalId'))).toBe(true);
    expect(errors.some((e) => e.startsWith('sender.serviceId'))).toBe(true);
    expect(errors.some((e) => e.startsWith('electronic'))).toBe(true);
    const noToken = await fetch(`${sim.url}/v2/messages/electronic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
  });

  it('an expired token is refreshed once (401 → new token → sent)', async () => {
    await suomifi.deliver(message());
    const issued = sim.tokensIssued();
    sim.expireTokens();
    const r = await suomifi.deliver(message());
    expect(r.status).toBe('delivered');
    expect(sim.tokensIssued()).toBe(issued + 1);
    // Still valid: no new token.
    await suomifi.deliver(message());
    expect(sim.tokensIssued()).toBe(issued + 1);
  });

  it('a 503 or a stopped service is a retry', async () => {
    sim.failNext(1, 503);
    const r = await suomifi.deliver(message());
    expect(r).toEqual({ status: 'retry', reason: 'HTTP 503' });
    await sim.stop();
    try {
      const down = await suomifi.deliver(message());
      expect(down.status).toBe('retry');
      expect(JSON.stringify(down)).not.toContain(PERSON_ID);
    } finally {
      await sim.restart();
    }
    expect((await suomifi.deliver(message())).status).toBe('delivered');
  });

  it('paper mail through /v2/messages takes one uploaded PDF attachment (413, 415 refused)', async () => {
    const res = await fetch(`${sim.url}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u', password: 'p' }) });
    const { access_token } = (await res.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    const upload = async (bytes: Uint8Array<ArrayBuffer>, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type }), 'a.pdf');
      return fetch(`${sim.url}/v2/attachments`, { method: 'POST', headers: auth, body: form });
    };
    expect((await upload(new TextEncoder().encode('hello'), 'text/plain')).status).toBe(415);
    expect((await upload(new Uint8Array(10 * 1024 * 1024 + 1), 'application/pdf')).status).toBe(413);
    const ok = await upload(new Uint8Array(await renderLetterPdf(message())), 'application/pdf');
    expect(ok.status).toBe(201);
    const { attachmentId } = (await ok.json()) as { attachmentId: string };
    const address = { name: 'Erkki Esimerkki', streetAddress: 'Kirkkotie 1', zipCode: '04130', city: 'Sipoo', countryCode: 'FI' };
    const send = await fetch(`${sim.url}/v2/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        externalId: `paper-${randomUUID()}`,
        recipient: { id: NO_MAILBOX },
        sender: { serviceId: 's' },
        paperMail: { attachments: [{ attachmentId }], colorPrinting: false, twoSidedPrinting: true, printingAndEnvelopingService: { postiMessaging: { contactDetails: { email: 'x@example.fi' }, username: 'u', password: 'p' } }, recipient: { address }, sender: { address: { ...address, name: 'Sipoon kunta' } } },
      }),
    });
    expect(send.status).toBe(200);
    expect(sim.messages()[0]).toMatchObject({ delivery: 'paper', to: 'Erkki Esimerkki', attachments: [attachmentId] });
  });
});

describe('SMS channel against the gateway simulator', () => {
  let sim: SmsGatewaySimulator;
  let sms: ChannelAdapter;
  beforeAll(async () => {
    sim = await startSmsGatewaySimulator({ token: 'sms-secret' });
    sms = createSmsChannel({ baseUrl: sim.url, token: 'sms-secret', sender: 'Puolesta', timeoutMs: 2000 });
  });
  afterAll(() => sim.close());

  it('sends the sms line to the MSISDN with userref = idempotency key', async () => {
    const m = message();
    const r = await sms.deliver(m);
    expect(r.status).toBe('delivered');
    expect(sim.messages()[0]).toMatchObject({ to: '+358401234914', message: m.sms, sender: 'Puolesta', userref: m.idempotencyKey });
    expect(r.status === 'delivered' && r.providerId).toBe(String(sim.messages()[0]!.id));
    const body = await receivedOverHttp(sim.url);
    expect(JSON.parse(body).deliveries[0]).toMatchObject({ channel: 'sms', to: '+358401234914', key: m.idempotencyKey });
    expect(body).not.toContain(PERSON_ID);
    expect(toMsisdn('040 123 4914')).toBe(358401234914);
    expect(toMsisdn('00358401234914')).toBe(358401234914);
    expect(toMsisdn('not a number')).toBeNull();
  });

  it('a resent key is sent again but counted as a duplicate', async () => {
    const m = message();
    await sms.deliver(m);
    const before = sim.duplicates();
    expect((await sms.deliver(m)).status).toBe('delivered');
    expect(sim.duplicates()).toBe(before + 1);
  });

  it('no phone is unavailable; a wrong token, 503, 429 and a stopped gateway are retries', async () => {
    expect(await sms.deliver(message({ recipient: { phone: null } }))).toEqual({ status: 'unavailable', reason: 'NO_PHONE_NUMBER' });
    const wrong = createSmsChannel({ baseUrl: sim.url, token: 'nope', sender: 'Puolesta' });
    expect((await wrong.deliver(message())).status).toBe('retry');
    sim.failNext(1, 503);
    expect(await sms.deliver(message())).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^HTTP 503/) });
    sim.failNext(1, 429);
    expect(await sms.deliver(message())).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^HTTP 429/) });
    await sim.stop();
    try {
      expect((await sms.deliver(message())).status).toBe('retry');
    } finally {
      await sim.restart();
    }
    expect((await sms.deliver(message())).status).toBe('delivered');
  });
});

describe('paper channel against the print service simulator', () => {
  let sim: PrintServiceSimulator;
  let paper: ChannelAdapter;
  beforeAll(async () => {
    sim = await startPrintServiceSimulator({ token: 'print-secret' });
    paper = createPaperChannel({ baseUrl: sim.url, token: 'print-secret', timeoutMs: 5000 });
  });
  afterAll(() => sim.close());

  it('renders an A4 PDF with the sender, name, subject, text and link (å ä ö in WinAnsi)', async () => {
    const m = message({ subject: 'Valtuutus myönnetty: åäö' });
    const pdf = await renderLetterPdf(m, { compress: false, date: new Date('2026-11-20T10:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    // pdfkit writes standard-font text as hex of WinAnsi bytes, one kerned run at a time.
    const hex = [...raw.matchAll(/<([0-9a-f]+)>/g)].map((x) => Buffer.from(x[1]!, 'hex').toString('latin1')).join('');
    expect(hex).toContain('Sipoo');
    expect(hex).toContain('20.11.2026');
    expect(hex.replace(/\s/g, '')).toContain('Valtuutusmyönnetty:åäö'.replace(/\s/g, ''));
    expect(hex).toContain('puolesta.example/valtuudet/1');
    expect(raw).not.toContain(PERSON_ID);
    const compressed = await renderLetterPdf(m);
    expect(compressed.length).toBeLessThan(pdf.length);
  });

  it('posts the PDF and metadata: 201 with jobId; the PDF is served back', async () => {
    const m = message();
    const r = await paper.deliver(m);
    expect(r.status).toBe('delivered');
    const job = sim.jobs()[0]!;
    expect(job).toMatchObject({ externalId: m.idempotencyKey, municipality: '753', recipientName: 'Sanna Säkkinen', language: 'fi', subject: m.subject });
    expect(r.status === 'delivered' && r.providerId).toBe(job.jobId);
    const pdf = await fetch(`${sim.url}/_simulator/jobs/${job.jobId}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const body = await receivedOverHttp(sim.url);
    expect(JSON.parse(body).deliveries[0]).toMatchObject({ channel: 'paper', to: 'Sanna Säkkinen', key: m.idempotencyKey });
    expect(body).not.toContain(PERSON_ID);
  });

  it('a repeated externalId is a 409 with the same jobId: delivered, counted as a duplicate', async () => {
    const m = message();
    const first = await paper.deliver(m);
    const before = sim.duplicates();
    expect(await paper.deliver(m)).toEqual(first);
    expect(sim.duplicates()).toBe(before + 1);
    expect(sim.jobs().filter((j) => j.externalId === m.idempotencyKey)).toHaveLength(1);
  });

  it('503 and a stopped service are retries; a wrong token too', async () => {
    sim.failNext(1, 503);
    expect(await paper.deliver(message())).toEqual({ status: 'retry', reason: 'HTTP 503' });
    expect(await createPaperChannel({ baseUrl: sim.url, token: 'nope' }).deliver(message())).toEqual({ status: 'retry', reason: 'HTTP 401' });
    await sim.stop();
    try {
      expect((await paper.deliver(message())).status).toBe('retry');
    } finally {
      await sim.restart();
    }
  });
});

describe('all simulators together', () => {
  it('start with persons, give a config, merge what they received newest first, and close', async () => {
    const sims = await startSimulators({ persons: [{ id: PERSON_ID, name: 'Sanna Säkkinen', hasMailbox: true }] });
    const email = createEmailChannel({ url: sims.config.smtpUrl, from: 'no-reply@puolesta.example' });
    try {
      const suomifi = createSuomifiChannel({ baseUrl: sims.config.suomifiUrl, username: sims.config.suomifiUsername, password: sims.config.suomifiPassword, serviceId: 's' });
      const sms = createSmsChannel({ baseUrl: sims.config.smsUrl, token: sims.config.smsToken, sender: 'Puolesta' });
      const paper = createPaperChannel({ baseUrl: sims.config.printUrl });
      for (const c of [email, suomifi, sms, paper]) {
        expect((await c.deliver(message({ subject: `via ${c.channel}` }))).status).toBe('delivered');
        await new Promise((r) => setTimeout(r, 5));
      }
      const all = await sims.received();
      expect(all.map((d) => d.channel)).toEqual(['paper', 'sms', 'suomifi', 'email']);
      expect(all.find((d) => d.channel === 'suomifi')!.to).toBe('Sanna Säkkinen');
      expect(JSON.stringify(all)).not.toContain(PERSON_ID);
    } finally {
      await email.close?.();
      await sims.close();
    }
  });
});
