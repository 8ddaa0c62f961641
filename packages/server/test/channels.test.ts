/**
 * Each channel adapter against its local simulator, over the real protocol (SMTP, HTTP JSON,
 * multipart): delivered, duplicate keys counted, unavailable and retry cases.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutgoingMessage } from '../src/notifications/types.js';
import { createEmailChannel } from '../src/notifications/channels/email.js';
import { startSmtpSimulator, type SmtpSimulator } from '../src/simulators/smtp.js';

const PERSON_ID = '010190-987P';

function message(over: Partial<OutgoingMessage> & { recipient?: Partial<OutgoingMessage['recipient']> } = {}): OutgoingMessage {
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
