import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_CODE_IN_TEXT } from '@puolesta/domain';
import { pdfText } from './pdf-text.js';
import { FORMS } from '../src/forms/forms.js';
import { client, P, person, startTestApp, type SessionHeaders, type TestApp } from './helpers.js';

/**
 * A person downloads everything Puolesta holds about them (GDPR access, issue 11 item 9): their
 * register record, mandates given and received, the log of their uses, errands with attachments
 * listed by name and size, messages, audit entries and sessions — and nothing of another person's.
 */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function as(who: { person: string } | { staff: string }) {
  const headers: SessionHeaders = await t.as(who);
  return {
    headers,
    get: (url: string) => t.app.inject({ method: 'GET', url, headers }),
    post: async (url: string, payload: object) => { const r = await t.app.inject({ method: 'POST', url, headers, payload }); return { status: r.statusCode, body: r.json() as Json }; },
  };
}
const tick = () => { t.clock.now = new Date(t.clock.now.getTime() + 60_000); };
async function grant(principal: string, agent: string, issues: string[]) {
  const r = await (await as({ person: principal })).post('/api/v1/mandates', { agent: person(agent), issues, validUntil: '2027-12-31' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function use(id: string, actor: string, errandRef: string, municipality: string) {
  tick();
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client(municipality) }, payload: { errandRef, actor: person(actor) } });
  expect(r.statusCode, r.body).toBe(201);
}
const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;

/** Two people with data of their own: Petra (a mandate to Matti, used; a building permit with a file) and Ritva (a mandate to Tuomas, used). */
async function twoPeople() {
  const petraMandate = await grant(P.petra, P.matti, ['housing']);
  await use(petraMandate, P.matti, 'PETRA-USE-1', '245');
  const ritvaMandate = await grant(P.ritva, P.tuomas, ['property-matters']);
  await use(ritvaMandate, P.tuomas, 'RITVA-USE-1', '049');
  const petra = await as({ person: P.petra });
  const e = await petra.post('/api/v1/errands', { municipality: '445', service: 'building-permit', subject: { type: 'property', id: '445-403-1-77' }, data: example('building-permit') });
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Title (x) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const boundary = '----puolestaexport';
  const up = await t.app.inject({
    method: 'POST', url: `/api/v1/errands/${e.body.id}/attachments`,
    headers: { ...petra.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pohjapiirros.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
  expect(up.statusCode, up.body).toBe(201);
  return { petraMandate, ritvaMandate, errandId: e.body.id as string, errandRef: e.body.ref as string, pdfSize: pdf.length };
}

let data: Awaited<ReturnType<typeof twoPeople>>;
beforeAll(async () => { data = await twoPeople(); });

describe('GET /api/v1/me/data-export', () => {
  it("gives the person their own record, mandates, log, errands, audit and sessions as a download, and nothing of another person's", async () => {
    const r = await (await as({ person: P.petra })).get('/api/v1/me/data-export');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toBe('attachment; filename="puolesta-omat-tiedot.json"');
    expect(r.headers['cache-control']).toContain('no-store');
    const x = r.json() as Json;
    expect(x.person).toMatchObject({ id: P.petra, firstName: 'Petra' });
    expect(x.contactSettings.language).toMatch(/^(fi|sv|en)$/);
    expect(x.mandates.given.map((m: Json) => m.id)).toContain(data.petraMandate);
    expect(x.usageLog.map((u: Json) => u.errandRef)).toContain('PETRA-USE-1');
    const errand = (x.errands as Json[]).find((e) => e.id === data.errandId);
    expect(errand).toMatchObject({ ref: data.errandRef, applicant: { id: P.petra }, data: expect.any(Object) });
    expect(errand!.attachments).toEqual([expect.objectContaining({ name: 'pohjapiirros.pdf', size: data.pdfSize })]);
    // Listed by name and size, never the bytes.
    expect(Object.keys(errand!.attachments[0]).sort()).toEqual(['contentType', 'createdAt', 'name', 'size']);
    expect(r.body).not.toContain('PDF-1.4');
    expect(x.audit).toContainEqual(expect.objectContaining({ mandateId: data.petraMandate, byMe: true }));
    expect(x.sessions.count).toBeGreaterThanOrEqual(1);
    expect(x.sessions.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(x.sessions)).not.toMatch(/[0-9a-f]{32}/);
    // Nothing of Ritva's: her mandate, its use, her agent.
    const all = JSON.stringify(x);
    expect(all).not.toContain(data.ritvaMandate);
    expect(all).not.toContain('RITVA-USE-1');
    expect(all).not.toContain(P.ritva);
    expect(all).not.toContain(P.tuomas);
  });

  it('shows the agent the mandate they received, its use, and the message about it; not the errand of the principal', async () => {
    const x = (await (await as({ person: P.matti })).get('/api/v1/me/data-export')).json() as Json;
    expect(x.person.id).toBe(P.matti);
    expect(x.mandates.received.map((m: Json) => m.id)).toContain(data.petraMandate);
    expect(x.usageLog.map((u: Json) => u.errandRef)).toContain('PETRA-USE-1');
    expect(x.messages.some((m: Json) => m.mandateId === data.petraMandate)).toBe(true);
    expect(x.errands.map((e: Json) => e.id)).not.toContain(data.errandId);
    expect(JSON.stringify(x)).not.toContain(data.ritvaMandate);
  });

  it('asks for a login from the anonymous and refuses staff', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/me/data-export' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'auth.login-required' });
    const staff = await (await as({ staff: 'caseworker-753' })).get('/api/v1/me/data-export');
    expect(staff.statusCode).toBe(403);
    expect(staff.json()).toMatchObject({ code: 'access.citizens-only' });
  });

  it("is in the person's session actions, and not in staff's", async () => {
    const me = (await (await as({ person: P.petra })).get('/api/v1/me')).json() as Json;
    expect(me.permittedActions).toContain('personal-data.export');
    const staff = (await (await as({ staff: 'caseworker-753' })).get('/api/v1/me')).json() as Json;
    expect(staff.permittedActions).not.toContain('personal-data.export');
  });
});

describe('GET /api/v1/me/data-export.pdf', () => {
  const HEADINGS = {
    fi: ['Omat tietoni Puolesta-palvelussa', 'Henkilötiedot', 'Valtuutukset', 'Antamani valtuutukset', 'Valtuutusten käyttöloki', 'Asioinnit', 'Viestit', 'Lokimerkinnät', 'Istunnot'],
    sv: ['Mina uppgifter i Puolesta-tjänsten', 'Personuppgifter', 'Fullmakter', 'Fullmakter jag har gett', 'Logg över användningen av fullmakterna', 'Ärenden i e-tjänsten', 'Meddelanden', 'Loggposter', 'Sessioner'],
    en: ['My data in Puolesta', 'Personal details', 'Mandates', 'Mandates I have given', 'Usage log of the mandates', 'Errands', 'Messages', 'Audit log entries', 'Sessions'],
  } as const;
  const DRAFT = { fi: 'Luonnos', sv: 'Utkast', en: 'Draft' } as const;
  for (const lang of ['fi', 'sv', 'en'] as const) {
    it(`reads as a document in ${lang}: the headings, the names, the errand and its file; no identity code`, async () => {
      const r = await (await as({ person: P.petra })).get(`/api/v1/me/data-export.pdf?lang=${lang}`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['content-disposition']).toBe('attachment; filename="puolesta-omat-tiedot.pdf"');
      expect(r.headers['cache-control']).toContain('no-store');
      const text = pdfText(r.rawPayload);
      for (const h of HEADINGS[lang]) expect(text).toContain(h);
      // Names of both sides of the mandate, the use, the errand's reference and file.
      expect(text).toMatch(/Petra \S+ -> Matti \S+/); // the arrow as the standard fonts print it
      expect(text).toContain('PETRA-USE-1');
      expect(text).toContain(data.errandRef);
      expect(text).toContain('pohjapiirros.pdf');
      expect(text).toContain(DRAFT[lang]); // the errand's status in the reader's language, not its code
      expect(text).not.toContain('RITVA-USE-1');
      expect(text).not.toMatch(IDENTITY_CODE_IN_TEXT);
    });
  }

  it("defaults to the person's language, and refuses an unknown one, the anonymous and staff", async () => {
    const petra = await as({ person: P.petra });
    const lang = ((await petra.get('/api/v1/me/settings')).json() as Json).language as 'fi' | 'sv' | 'en';
    const own = pdfText((await petra.get('/api/v1/me/data-export.pdf')).rawPayload);
    expect(own).toContain(HEADINGS[lang][0]);
    expect((await petra.get('/api/v1/me/data-export.pdf?lang=de')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/data-export.pdf' })).statusCode).toBe(401);
    expect((await (await as({ staff: 'admin-753' })).get('/api/v1/me/data-export.pdf')).statusCode).toBe(403);
  });
});
