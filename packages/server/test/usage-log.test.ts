import { pdfText } from './pdf-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_CODE_IN_TEXT } from '@puolesta/domain';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

/**
 * The usage log a principal wants (issue 10, item 5): newest first; each use names the service and
 * the e-service (its display name and municipality) and the errand; one log across all my mandates
 * with filters and keyset paging; a mandate's PDF receipt in the person's language, names only.
 */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function as(who: { person: string } | { staff: string }) {
  const headers = await t.as(who);
  return {
    get: async (url: string) => { const r = await t.app.inject({ method: 'GET', url, headers }); return { status: r.statusCode, body: (r.headers['content-type']?.toString().includes('json') ? r.json() : {}) as Json, raw: r }; },
    post: async (url: string, payload: object = {}) => { const r = await t.app.inject({ method: 'POST', url, headers, payload }); return { status: r.statusCode, body: r.json() as Json }; },
  };
}
/** The clock moves a minute on, so every use has its own time. */
const tick = () => { t.clock.now = new Date(t.clock.now.getTime() + 60_000); };
const use = async (id: string, actor: string, errandRef: string, municipality: string, service?: string) => {
  tick();
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client(municipality) }, payload: { errandRef, actor: person(actor), ...(service ? { service } : {}) } });
  expect(r.statusCode, r.body).toBe(201);
};
async function grant(principal: string, agent: string, issues: string[], extra: object = {}) {
  const r = await (await as({ person: principal })).post('/api/v1/mandates', { agent: person(agent), issues, validUntil: '2027-12-31', ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

describe("a mandate's log", () => {
  it('lists newest first, naming the service, the e-service and its municipality, and the errand', async () => {
    const id = await grant(P.aino, P.kari, ['housing']);
    await use(id, P.kari, 'ASUNTO-1', '245', 'resident-parking');
    await use(id, P.kari, 'ASUNTO-2', '753');
    const aino = await as({ person: P.aino });
    const log = await aino.get(`/api/v1/mandates/${id}/log`);
    expect(log.status).toBe(200);
    const entries = log.body.entries as Json[];
    expect(entries.map((e) => [e.event, e.errandRef ?? null])).toEqual([['used', 'ASUNTO-2'], ['used', 'ASUNTO-1'], ['granted', null]]);
    expect(entries[1]).toMatchObject({
      mandateId: id,
      service: { code: 'resident-parking', name: { fi: expect.any(String), sv: expect.any(String), en: expect.any(String) } },
      eService: { id: 'demo-245', name: { fi: 'Keravan asiointipalvelu', sv: 'Kervo stads e-tjänst', en: 'Kerava e-services' }, municipality: '245' },
      actor: { type: 'person', name: 'Kari Mäkelä' },
    });
    expect(entries[1]!.service.name.fi).not.toBe('resident-parking');
    expect(entries[0]!.eService).toMatchObject({ id: 'demo-753', name: { sv: 'Sibbo kommuns e-tjänst' }, municipality: '753' });
    expect(entries[0]!.service).toBeUndefined();
    // The agent reads the same log; a stranger learns nothing.
    expect((await (await as({ person: P.kari })).get(`/api/v1/mandates/${id}/log`)).body.entries).toHaveLength(3);
    expect((await (await as({ person: P.stranger })).get(`/api/v1/mandates/${id}/log`)).status).toBe(404);
  });

  it('an unknown service is refused with its code and field', async () => {
    const id = await grant(P.aino, P.kari, ['housing']);
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client('245') }, payload: { errandRef: 'X-1', actor: person(P.kari), service: 'no-such-service' } });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'catalogue.unknown-service', field: 'service' });
  });

  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const id = await grant(P.ritva, P.laura, ['property-matters']);
    for (let i = 1; i <= 5; i++) await use(id, P.laura, `PAGE-${i}`, '049');
    const ritva = await as({ person: P.ritva });
    const first = await ritva.get(`/api/v1/mandates/${id}/log?limit=2`);
    expect(first.body.entries.map((e: Json) => e.errandRef)).toEqual(['PAGE-5', 'PAGE-4']);
    const second = await ritva.get(`/api/v1/mandates/${id}/log?limit=2&cursor=${first.body.next}`);
    expect(second.body.entries.map((e: Json) => e.errandRef)).toEqual(['PAGE-3', 'PAGE-2']);
    const third = await ritva.get(`/api/v1/mandates/${id}/log?limit=2&cursor=${second.body.next}`);
    expect(third.body.entries.map((e: Json) => e.event)).toEqual(['used', 'granted']);
    expect(third.body.next).toBeUndefined();
    expect((await ritva.get(`/api/v1/mandates/${id}/log?cursor=nonsense`)).status).toBe(400);
  });
});

describe('the log across all my mandates', () => {
  it("lists the uses of mandates I gave and received, newest first, with whose mandate it was; filters by mandate, other party, service and dates", async () => {
    const given = await grant(P.pentti, P.tuomas, ['housing']);
    const received = await grant(P.emily, P.pentti, ['housing']);
    const other = await grant(P.aino, P.kari, ['housing']); // not Pentti's
    await use(given, P.tuomas, 'P-1', '245', 'resident-parking');
    await use(received, P.pentti, 'P-2', '753');
    await use(other, P.kari, 'NOT-MINE', '245');
    t.clock.now = new Date(t.clock.now.getTime() + 3 * 86_400_000);
    await use(given, P.tuomas, 'P-3', '049');
    const pentti = await as({ person: P.pentti });
    const all = await pentti.get('/api/v1/me/log');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.entries.map((e: Json) => e.errandRef)).toEqual(['P-3', 'P-2', 'P-1']);
    expect(all.body.entries.every((e: Json) => e.event === 'used')).toBe(true);
    expect(all.body.entries[1]).toMatchObject({ mandateId: received, mandate: { principal: 'Emily Laine', agent: 'Pentti Heikkinen' }, eService: { municipality: '753' } });
    expect(JSON.stringify(all.body)).not.toContain('NOT-MINE');

    // By mandate.
    expect((await pentti.get(`/api/v1/me/log?mandate=${given}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-3', 'P-1']);
    // By the other party: an opaque key from the filters, no identity code in the address.
    const emily = all.body.filters.parties.find((p: Json) => p.name === 'Emily Laine');
    expect(emily.key).not.toMatch(IDENTITY_CODE_IN_TEXT);
    expect((await pentti.get(`/api/v1/me/log?party=${encodeURIComponent(emily.key)}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-2']);
    // By service.
    expect(all.body.filters.services.map((s: Json) => s.code)).toEqual(['resident-parking']);
    expect((await pentti.get('/api/v1/me/log?service=resident-parking')).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-1']);
    // By dates (Finnish days): the last use was three days later.
    const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date(iso));
    const [e3, e2] = all.body.entries as Json[];
    expect((await pentti.get(`/api/v1/me/log?from=${day(e3!.at)}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-3']);
    expect((await pentti.get(`/api/v1/me/log?to=${day(e2!.at)}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-2', 'P-1']);
    expect((await pentti.get(`/api/v1/me/log?from=${day(e2!.at)}&to=${day(e2!.at)}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['P-2', 'P-1']);
    expect((await pentti.get('/api/v1/me/log?from=2026-12-05&to=2026-12-01')).status).toBe(400);
    expect((await pentti.get('/api/v1/me/log?party=not-a-key')).status).toBe(400);

    // Paging.
    const p1 = await pentti.get('/api/v1/me/log?limit=2');
    expect(p1.body.entries.map((e: Json) => e.errandRef)).toEqual(['P-3', 'P-2']);
    const p2 = await pentti.get(`/api/v1/me/log?limit=2&cursor=${p1.body.next}`);
    expect(p2.body.entries.map((e: Json) => e.errandRef)).toEqual(['P-1']);
    expect(p2.body.next).toBeUndefined();
  });

  it("holds only the uses of mandates I may read; a caseworker and an anonymous caller are refused", async () => {
    const notHis = await grant(P.aino, P.kari, ['housing']);
    await use(notHis, P.kari, 'AINO-ONLY', '245');
    const stranger = await as({ person: P.stranger });
    const r = await stranger.get('/api/v1/me/log');
    expect(r.status).toBe(200);
    expect(r.body.entries.map((e: Json) => e.mandateId)).not.toContain(notHis);
    for (const e of r.body.entries as Json[]) expect([e.mandate.principal, e.mandate.agent]).toContain('Ville Vieras');
    expect((await stranger.get(`/api/v1/me/log?mandate=${notHis}`)).body.entries).toEqual([]);
    expect((await (await as({ person: P.aino })).get(`/api/v1/me/log?mandate=${notHis}`)).body.entries.map((e: Json) => e.errandRef)).toEqual(['AINO-ONLY']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/log' })).statusCode).toBe(401);
    expect((await (await as({ staff: 'caseworker-245' })).get('/api/v1/me/log')).status).toBe(403);
  });
});

describe("a mandate's receipt", () => {
  it('is a PDF in Finnish, Swedish and English with the names, matters and validity, and no identity code', async () => {
    const id = await grant(P.aino, P.kari, ['housing'], { municipality: '245' });
    const aino = await as({ person: P.aino });
    const view = await aino.get(`/api/v1/mandates/${id}`);
    expect(view.body.permittedActions).toContain('download-receipt');
    const expected = { fi: ['Kuitti valtuutuksesta', 'Valtuuttaja', 'Voimassa'], sv: ['Kvitto på fullmakt', 'Fullmaktsgivare', 'Giltig'], en: ['Mandate receipt', 'Given by', 'Valid'] };
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const r = await aino.get(`/api/v1/mandates/${id}/receipt.pdf?lang=${lang}`);
      expect(r.status).toBe(200);
      expect(r.raw.headers['content-type']).toBe('application/pdf');
      expect(r.raw.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(r.raw.rawPayload);
      for (const s of expected[lang]) expect(text, lang).toContain(s);
      expect(text).toContain('Aino Mäkelä');
      expect(text).toContain('Kari Mäkelä');
      expect(text).toContain(lang === 'sv' ? 'Kervo' : 'Kerava');
      expect(text).not.toMatch(IDENTITY_CODE_IN_TEXT);
      expect(text).not.toContain(P.aino);
      expect(text).not.toContain(P.kari);
    }
    // The agent may download it; a stranger and another municipality's caseworker may not.
    expect((await (await as({ person: P.kari })).get(`/api/v1/mandates/${id}/receipt.pdf`)).status).toBe(200);
    expect((await (await as({ person: P.stranger })).get(`/api/v1/mandates/${id}/receipt.pdf`)).status).toBe(404);
    expect((await (await as({ staff: 'caseworker-245' })).get(`/api/v1/mandates/${id}/receipt.pdf`)).status).toBe(404);
  });

  it("a paper mandate's receipt names the registering municipality; its caseworker may download it, another's may not", async () => {
    const cw = await as({ staff: 'caseworker-245' });
    const paper = await cw.post('/api/v1/staff/paper-mandates', {
      principal: person(P.aino), agent: person(P.stranger), issues: ['housing'], validUntil: '2027-12-31',
      document: { reference: 'KERAVA/2026/777', signedOn: '2026-11-30' },
    });
    expect(paper.status, JSON.stringify(paper.body)).toBe(201);
    const id = paper.body.id as string;
    const r = await cw.get(`/api/v1/mandates/${id}/receipt.pdf?lang=sv`);
    expect(r.status).toBe(200);
    const text = pdfText(r.raw.rawPayload);
    expect(text).toContain('Registrerad av kommunen');
    expect(text).toContain('Kervo');
    expect(text).toContain('KERAVA/2026/777');
    expect(text).not.toMatch(IDENTITY_CODE_IN_TEXT);
    expect((await (await as({ staff: 'caseworker-753' })).get(`/api/v1/mandates/${id}/receipt.pdf`)).status).toBe(404);
    // The principal's own language by default (Aino: Finnish).
    expect(pdfText((await (await as({ person: P.aino })).get(`/api/v1/mandates/${id}/receipt.pdf`)).raw.rawPayload)).toContain('Kuitti valtuutuksesta');
  });
});
