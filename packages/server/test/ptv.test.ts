import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { ptvPages, ptvService, startPtvSimulator, type PtvSimulator } from './ptv-simulator.js';
import { suggestClass, SUGGESTION_THRESHOLD } from '../src/services/ptv.service.js';
import { configFromEnv } from '../src/config.js';

let t: TestApp;
let sim: PtvSimulator;
/** A simulator serving a duplicate and a malformed record. */
let bad: PtvSimulator;

const ID = {
  ece: '11111111-1111-4111-8111-111111111111',
  permit: '22222222-2222-4222-8222-222222222222',
  dogTax: '33333333-3333-4333-8333-333333333333',
  parking: '44444444-4444-4444-8444-444444444444',
  grave: '55555555-5555-4555-8555-555555555555',
  espooEce: '66666666-6666-4666-8666-666666666666',
  espooBoat: '77777777-7777-4777-8777-777777777777',
};
const P61 = { code: 'P6.1', uri: 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.1', name: { fi: 'Varhaiskasvatus', sv: 'Småbarnspedagogik', en: 'Early childhood education' } };

const sipoo = [
  ptvService(ID.ece, { fi: 'Varhaiskasvatushakemus', sv: 'Ansökan om småbarnspedagogik' }, { description: { fi: 'Hae lapsellesi paikkaa päiväkodista.' }, classes: [P61] }),
  ptvService(ID.permit, { fi: 'Rakennuslupa', sv: 'Bygglov' }),
  ptvService(ID.dogTax, { fi: 'Koiraveron maksaminen', sv: 'Hundskatt' }),
  ptvService(ID.parking, { fi: 'Asukaspysäköintitunnus', sv: 'Boendeparkeringstillstånd', en: 'Resident parking permit' }),
  ptvService(ID.grave, { fi: 'Hautapaikan varaus' }),
];
const espoo = [
  ptvService(ID.espooEce, { fi: 'Varhaiskasvatus', en: 'Early childhood education' }, { classes: [P61] }),
  ptvService(ID.espooBoat, { fi: 'Venepaikat', sv: 'Båtplatser' }),
];

const fresh = ptvService('88888888-8888-4888-8888-888888888888', { fi: 'Uusi palvelu' });

beforeAll(async () => {
  sim = await startPtvSimulator({ '753': sipoo }, 2);
  bad = await startPtvSimulator({ '753': [fresh, fresh, { id: 'x' }] }, 2);
  // Loopback is fetched from only when named as a demo simulator (PUOLESTA_PTV_SIMULATOR_URLS).
  t = await startTestApp({ config: { outbound: { ...configFromEnv({}).outbound, simulatorUrls: [sim.url, bad.url] } } });
});
afterAll(async () => {
  await sim?.close();
  await bad?.close();
  await t?.stop();
});

const call = async (method: 'GET' | 'POST', url: string, staff: string | null, payload?: object) => {
  const headers = staff ? { ...(await t.as({ staff })) } : {};
  return t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
};
const admin = (m: string) => `/api/v1/admin/municipalities/${m}`;
const ptvRows = async () => (await t.ctx.db.selectFrom('ptv_services').selectAll().execute()).map((r) => `${r.municipality}/${r.ptv_id}/${r.raw_hash}`).sort();

describe('PTV import', () => {
  it('matches deterministically by names, descriptions and PTV service class', () => {
    const codes = Object.keys({ 'ece-application': 1, 'ece-income': 1, 'building-permit': 1, feedback: 1 });
    expect(suggestClass({ names: { fi: 'Varhaiskasvatushakemus' }, descriptions: {}, classes: [] }, codes)).toEqual({ service: 'ece-application', score: 0.4 });
    expect(suggestClass({ names: { fi: 'Varhaiskasvatuksen tuloselvitys' }, descriptions: {}, classes: [] }, codes)?.service).toBe('ece-income');
    expect(suggestClass({ names: { fi: 'Koiravero' }, descriptions: {}, classes: [] }, codes)).toBeNull();
  });

  it('fetches every page from a PTV-compatible source, suggests classes and lists the rest as unclassified', async () => {
    const r = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { source: sim.url });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(sim.requests).toEqual([1, 2, 3].map((n) => `/Service/list/area/Municipality/code/753?page=${n}`));
    expect(body).toMatchObject({ imported: 5, updated: 0, unchanged: 0 });
    const suggested = Object.fromEntries(body.suggestions.map((s: { ptvId: string; service: string }) => [s.ptvId, s.service]));
    expect(suggested).toEqual({ [ID.ece]: 'ece-application', [ID.permit]: 'building-permit', [ID.parking]: 'resident-parking' });
    for (const s of body.suggestions) expect(s.score).toBeGreaterThanOrEqual(SUGGESTION_THRESHOLD);
    expect(body.suggestions.find((s: { ptvId: string }) => s.ptvId === ID.ece).score).toBe(1);
    expect(body.unclassified).toEqual([{ ptvId: ID.dogTax, name: 'Koiraveron maksaminen' }, { ptvId: ID.grave, name: 'Hautapaikan varaus' }]);
  });

  it('is idempotent: the same data again changes nothing; changed data is an update', async () => {
    const before = await ptvRows();
    const again = (await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { source: sim.url })).json();
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 5 });
    expect(await ptvRows()).toEqual(before);
    const changed = [{ ...sipoo[4]!, modified: '2026-11-01T08:00:00Z' }];
    const r = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { pageNumber: 1, pageSize: 100, pageCount: 1, itemList: changed });
    expect(r.json()).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
  });

  it('imports a posted PTV list page', async () => {
    const r = await call('POST', `${admin('049')}/ptv-imports`, 'admin-049', ptvPages(espoo, 100)[0]!);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      imported: 2, updated: 0, unchanged: 0,
      suggestions: [{ ptvId: ID.espooEce, service: 'ece-application' }],
      unclassified: [{ ptvId: ID.espooBoat, name: 'Venepaikat' }],
    });
  });

  it('refuses a malformed file naming the record and field, and stores nothing', async () => {
    const before = await ptvRows();
    const noName = { ...ptvService('99999999-9999-4999-8999-999999999999', { fi: 'x' }), serviceNames: [{ type: 'AlternativeName', language: 'fi', value: 'Vain lisänimi' }] };
    const cases: [unknown[], string][] = [
      [[fresh, sipoo[0], noName], 'itemList.2.serviceNames'],
      [[fresh, { ...fresh, id: 'not-a-uuid' }], 'itemList.1.id'],
      [[fresh, { ...fresh, id: ID.ece, serviceNames: [{ type: 'Name', language: 'fi', value: '' }] }], 'itemList.1.serviceNames.0.value'],
      [[fresh, { ...fresh, id: ID.ece, serviceNames: [{ type: 'Name', language: 'Finnish', value: 'x' }] }], 'itemList.1.serviceNames.0.language'],
      [[fresh, fresh], 'itemList.1.id'],
      [[fresh, { ...fresh, id: ID.grave, modified: 'yesterday' }], 'itemList.1.modified'],
    ];
    for (const [itemList, field] of cases) {
      const r = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { pageNumber: 1, pageSize: 100, pageCount: 1, itemList });
      expect(r.statusCode, field).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().field).toBe(field);
    }
    const noNameRecord = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { pageNumber: 1, pageSize: 100, pageCount: 1, itemList: [fresh, sipoo[0], noName] });
    expect(noNameRecord.json()).toMatchObject({ code: 'ptv.record-name-missing', params: { record: 'itemList.2' }, field: 'itemList.2.serviceNames' });
    const emptyName = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { itemList: [{ ...fresh, serviceNames: [{ type: 'Name', language: 'fi', value: '' }] }] });
    expect(emptyName.json()).toMatchObject({ code: 'ptv.record-text-invalid', params: { record: 'itemList.0', field: 'serviceNames.0.value', max: 500 }, field: 'itemList.0.serviceNames.0.value' });
    const fromBad = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { source: bad.url });
    expect(fromBad.statusCode).toBe(400);
    expect(fromBad.json().field).toBe('pages.0.itemList.1.id');
    const unreachable = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { source: 'http://127.0.0.1:1' });
    expect(unreachable.statusCode).toBe(400);
    expect(unreachable.json().field).toBe('source');
    // The server fetches only from the configured PTV address (and, in demo mode, the named simulators).
    for (const elsewhere of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:80@example.org/', 'file:///etc/passwd']) {
      const r = await call('POST', `${admin('753')}/ptv-imports`, 'admin-753', { source: elsewhere });
      expect(r.statusCode, elsewhere).toBe(400);
      expect(r.json().detail, elsewhere).toMatch(/not an allowed PTV address/);
      expect(r.json(), elsewhere).toMatchObject({ code: 'ptv.fetch-not-allowed', field: 'source' });
    }
    expect(await ptvRows()).toEqual(before);
  });
});

describe('links, coverage and export', () => {
  it('lists unclassified PTV services and Espoo\'s ECE difference in the coverage report', async () => {
    const r = await call('GET', `${admin('753')}/coverage`, 'admin-753');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.classified).toBe(10);
    expect(body.services).toBe(15);
    expect(body.unclassified.map((u: { ptvId: string }) => u.ptvId).sort()).toEqual(Object.values(ID).slice(0, 5).sort());
    expect(body.differences).toEqual([]);
    const e = (await call('GET', `${admin('049')}/coverage`, 'admin-049')).json();
    expect(e.differences).toEqual([{ service: 'ece-application', common: { kind: 'alone', alternative: 'notify' }, local: { kind: 'alone', alternative: 'confirm' } }]);
    expect(e.unclassified).toHaveLength(2);
  });

  it('confirms a match: the municipal service carries the PTV id in the public API (added when missing)', async () => {
    expect((await call('GET', '/api/v1/municipalities/753/services/resident-parking', null)).statusCode).toBe(404);
    for (const [ptvId, service] of [[ID.ece, 'ece-application'], [ID.parking, 'resident-parking']] as const) {
      const r = await call('POST', `${admin('753')}/ptv-links`, 'admin-753', { ptvId, service });
      expect(r.statusCode, r.body).toBe(200);
      const pub = await call('GET', `/api/v1/municipalities/753/services/${service}`, null);
      expect(pub.statusCode).toBe(200);
      expect(pub.json().ptvId).toBe(ptvId);
    }
    const cov = (await call('GET', `${admin('753')}/coverage`, 'admin-753')).json();
    expect(cov).toMatchObject({ classified: 11, services: 14 });
    expect(cov.unclassified.map((u: { ptvId: string }) => u.ptvId)).not.toContain(ID.ece);
    const unknown = await call('POST', `${admin('753')}/ptv-links`, 'admin-753', { ptvId: ID.espooEce, service: 'ece-application' });
    expect(unknown.statusCode).toBe(404);
    const noClass = await call('POST', `${admin('753')}/ptv-links`, 'admin-753', { ptvId: ID.grave, service: 'no-such' });
    expect(noClass.statusCode).toBe(400);
    expect(noClass.json().field).toBe('service');
  });

  it('exports the on-behalf requirement of each PTV-linked service', async () => {
    await call('POST', `${admin('049')}/ptv-links`, 'admin-049', { ptvId: ID.espooEce, service: 'ece-application' });
    const r = await call('GET', `${admin('049')}/ptv-export`, 'admin-049');
    expect(r.statusCode, r.body).toBe(200);
    const [item, ...rest] = r.json().items;
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ ptvId: ID.espooEce, service: 'ece-application', requirement: { policy: { kind: 'alone', alternative: 'confirm' }, issues: ['early-childhood-education'], parties: 'guardians-of-subject' } });
    for (const lang of ['fi', 'sv', 'en']) expect(item.requirement.guidance[lang].length).toBeGreaterThan(20);
    const umbrella = await call('GET', `${admin('753')}/ptv-export`, 'umbrella-admin');
    expect(umbrella.json().items.map((i: { service: string }) => i.service)).toEqual(['ece-application', 'resident-parking']);
  });

  it('lets only that municipality\'s admin or the umbrella admin in', async () => {
    const before = await ptvRows();
    const page = ptvPages([ptvService('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', { fi: 'Rakennuslupa' })], 100)[0]!;
    for (const [method, path, payload] of [
      ['POST', 'ptv-imports', page], ['POST', 'ptv-links', { ptvId: ID.grave, service: 'feedback' }], ['GET', 'coverage', undefined], ['GET', 'ptv-export', undefined],
    ] as const) {
      expect((await call(method, `${admin('753')}/${path}`, 'admin-049', payload)).statusCode, path).toBe(403);
      expect((await call(method, `${admin('753')}/${path}`, 'caseworker-753', payload)).statusCode, path).toBe(403);
      expect((await call(method, `${admin('753')}/${path}`, null, payload)).statusCode, path).toBe(401);
      expect((await call(method, `${admin('999')}/${path}`, 'umbrella-admin', payload)).statusCode, path).toBe(404);
    }
    expect(await ptvRows()).toEqual(before);
  });
});

describe('pending suggestions and coverage counts (Heinola)', () => {
  const H = {
    permit: 'a1111111-1111-4111-8111-111111111111',
    permit2: 'a2222222-2222-4222-8222-222222222222',
    parking: 'a3333333-3333-4333-8333-333333333333',
    dogTax: 'a4444444-4444-4444-8444-444444444444',
  };
  const cov = async () => {
    const r = await call('GET', `${admin('111')}/coverage`, 'admin-111');
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json() as { services: number; classified: number; unclassified: { ptvId: string }[] };
    // What an admin relies on: every service is either classified or listed as unclassified.
    expect(c.services).toBe(c.classified + c.unclassified.length);
    return c;
  };
  const offered = async () => ((await call('GET', '/api/v1/municipalities/111/services', null)).json() as { services: { code: string }[] }).services.map((s) => s.code);
  const link = async (ptvId: string, service: string) => {
    const r = await call('POST', `${admin('111')}/ptv-links`, 'admin-111', { ptvId, service });
    expect(r.statusCode, r.body).toBe(200);
  };

  it('keeps the suggestions on the server until confirmed, and the counts add up as services are linked', async () => {
    const page = ptvPages([
      ptvService(H.permit, { fi: 'Rakennuslupa' }), ptvService(H.permit2, { fi: 'Rakennuslupa, pientalot' }),
      ptvService(H.parking, { fi: 'Asukaspysäköintitunnus' }), ptvService(H.dogTax, { fi: 'Koiravero' }),
    ], 100)[0]!;
    const before = await cov();
    expect((await call('POST', `${admin('111')}/ptv-imports`, 'admin-111', page)).statusCode).toBe(200);

    // A later visit (a reload) finds what the import suggested, with names.
    const pending = await call('GET', `${admin('111')}/ptv-pending`, 'admin-111');
    expect(pending.statusCode, pending.body).toBe(200);
    const p = pending.json() as { suggestions: { ptvId: string; name: string; service: string }[]; unclassified: { ptvId: string; name: string }[] };
    expect(p.suggestions.map((s) => [s.ptvId, s.service, s.name])).toEqual([
      [H.permit, 'building-permit', 'Rakennuslupa'], [H.permit2, 'building-permit', 'Rakennuslupa, pientalot'], [H.parking, 'resident-parking', 'Asukaspysäköintitunnus'],
    ]);
    expect(p.unclassified).toEqual([{ ptvId: H.dogTax, name: 'Koiravero' }]);

    let c = await cov();
    expect(c).toMatchObject({ services: before.services + 4, classified: before.classified });

    // A class the municipality did not offer: one more classified service, the total unchanged.
    const hadParking = (await offered()).includes('resident-parking');
    await link(H.parking, 'resident-parking');
    c = await cov();
    expect(c.classified).toBe(before.classified + (hadParking ? 0 : 1));
    expect(c.services).toBe(before.services + 4 - (hadParking ? 1 : 0));
    expect((await call('GET', `${admin('111')}/ptv-pending`, 'admin-111')).json().suggestions.map((s: { ptvId: string }) => s.ptvId)).toEqual([H.permit, H.permit2]);

    // Two PTV records confirmed as the same service: the service carries one PTV id, the other record is unclassified again, not lost.
    await link(H.permit, 'building-permit');
    const afterFirst = await cov();
    await link(H.permit2, 'building-permit');
    c = await cov();
    expect(c.services).toBe(afterFirst.services);
    expect(c.unclassified.map((u) => u.ptvId).sort()).toEqual([H.permit, H.dogTax].sort());
    const pub = (await call('GET', '/api/v1/municipalities/111/services/building-permit', null)).json();
    expect(pub.ptvId).toBe(H.permit2);
  });

  it('lets only that municipality\'s admin or the umbrella admin read the pending list', async () => {
    expect((await call('GET', `${admin('111')}/ptv-pending`, 'admin-049')).statusCode).toBe(403);
    expect((await call('GET', `${admin('111')}/ptv-pending`, 'caseworker-111')).statusCode).toBe(403);
    expect((await call('GET', `${admin('111')}/ptv-pending`, null)).statusCode).toBe(401);
    expect((await call('GET', `${admin('111')}/ptv-pending`, 'umbrella-admin')).statusCode).toBe(200);
  });
});
