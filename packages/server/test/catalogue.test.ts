import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFixture } from '../src/registers/fixture.js';
import { negotiateLanguage } from '../src/http/routes/catalogue.js';
import { startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const fixture = demoFixture();

describe('public read API of the service catalogue', () => {
  it('gives, for every fixture municipality and service, the policy in force — Espoo\'s stricter ECE rule included', async () => {
    for (const [code, services] of Object.entries(fixture.municipalServices)) {
      const list = await get(`/api/v1/municipalities/${code}/services`);
      expect(list.statusCode).toBe(200);
      expect(list.json().services.map((s: { code: string }) => s.code)).toEqual(fixture.services.filter((s) => services.includes(s.code)).map((s) => s.code));
      for (const serviceCode of services) {
        const r = await get(`/api/v1/municipalities/${code}/services/${serviceCode}`);
        expect(r.statusCode, `${code}/${serviceCode}`).toBe(200);
        const body = r.json();
        const common = fixture.services.find((s) => s.code === serviceCode)!;
        const override = fixture.overrides.find((o) => o.municipality === code && o.service === serviceCode);
        expect(body.policy, `${code}/${serviceCode}`).toEqual(override?.policy ?? common.policy);
        expect(body).toMatchObject({ issues: common.issues, parties: common.parties, subject: common.subject, catalogueVersion: 1 });
        if (common.recommendedMandate) expect(body.recommendedMandate).toBe(common.recommendedMandate);
        for (const lang of ['fi', 'sv', 'en']) expect(body.guidance[lang].length, `${code}/${serviceCode} ${lang}`).toBeGreaterThan(20);
      }
    }
    const espoo = (await get('/api/v1/municipalities/049/services/ece-application')).json();
    expect(espoo.policy).toEqual({ kind: 'alone', alternative: 'confirm' });
    expect(espoo.commonPolicy).toEqual({ kind: 'alone', alternative: 'notify' });
    expect(espoo.guidance.en).toMatch(/asked to confirm/);
    expect((await get('/api/v1/municipalities/753/services/ece-application')).json().policy).toEqual({ kind: 'alone', alternative: 'notify' });
  });

  it('tells a citizen in plain words which mandate is needed, or that every owner will sign', async () => {
    const water = (await get('/api/v1/municipalities/753/services/water-connection')).json();
    expect(water.guidance.fi).toContain('Jäte- ja vesihuolto');
    expect(water.guidance.en).toMatch(/need their mandate for "Waste and water services" or "Property matters"/);
    const permit = (await get('/api/v1/municipalities/245/services/building-permit')).json();
    expect(permit.guidance.en).toMatch(/other owners of the property will each be asked to sign/);
    expect(permit.guidance.sv).toMatch(/fastighetens övriga ägare/);
  });

  it('answers unknown codes with 404 problem+json', async () => {
    for (const url of ['/api/v1/municipalities/999/services', '/api/v1/municipalities/245/services/no-such', '/api/v1/municipalities/245/services/street-use-permit']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await get('/api/v1/municipalities/999/services')).json()).toMatchObject({ code: 'catalogue.unknown-municipality', params: { municipality: '999' } });
    expect((await get('/api/v1/municipalities/245/services/street-use-permit')).json())
      .toMatchObject({ code: 'catalogue.unknown-service', params: { municipality: '245', service: 'street-use-permit' }, detail: 'Municipality 245 has no service street-use-permit.' });
  });

  it('lists the common catalogue, names in the language asked for, with ETag caching', async () => {
    const r = await get('/api/v1/catalogue/services', { 'accept-language': 'sv-FI,sv;q=0.9,en;q=0.5' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('sv');
    const ece = r.json().services.find((s: { code: string }) => s.code === 'ece-application');
    expect(ece).toMatchObject({ title: 'Ansökan om småbarnspedagogik', policy: { kind: 'alone', alternative: 'notify' }, parties: 'guardians-of-subject' });
    const again = await get('/api/v1/catalogue/services', { 'accept-language': 'sv', 'if-none-match': r.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(negotiateLanguage('de-DE, en;q=0.8, fi;q=0.9')).toBe('fi');
    expect(negotiateLanguage('xx')).toBe('fi');
  });
});

describe('municipal overrides: stricter, never looser', () => {
  const put = async (staff: string | null, url: string, payload: object) => {
    const headers = staff ? { ...(await t.as({ staff })) } : {};
    return t.app.inject({ method: 'PUT', url, headers, payload });
  };
  const url = (m: string, s: string) => `/api/v1/admin/municipalities/${m}/services/${s}/policy`;

  it('refuses a looser policy with a clear error and changes nothing', async () => {
    const before = (await get('/api/v1/municipalities/049/services/ece-application')).json().policy;
    const r = await put('admin-049', url('049', 'ece-application'), { kind: 'alone', alternative: 'attest' });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().field).toBe('kind');
    expect(r.json().detail).toMatch(/stricter, not looser/);
    expect(r.json()).toMatchObject({ type: '/problems/policy.looser-than-common', code: 'policy.looser-than-common', params: { common: 'alone (notify)', kind: 'alone (attest)' } });
    expect((await put('admin-245', url('245', 'building-permit'), { kind: 'mandate' })).statusCode).toBe(400);
    expect((await get('/api/v1/municipalities/049/services/ece-application')).json().policy).toEqual(before);
  });

  it('accepts a stricter one from that municipality\'s admin and shows it at once', async () => {
    const r = await put('admin-753', url('753', 'waste-interval'), { kind: 'alone', alternative: 'confirm' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ policy: { kind: 'alone', alternative: 'confirm' }, overridden: true });
    expect((await get('/api/v1/municipalities/753/services/waste-interval')).json().policy).toEqual({ kind: 'alone', alternative: 'confirm' });
    expect((await get('/api/v1/municipalities/245/services/waste-interval')).json().policy).toEqual({ kind: 'alone', alternative: 'attest' });
    const multi = await put('admin-753', url('753', 'feedback'), { kind: 'multi-signature' });
    expect(multi.json().policy).toEqual({ kind: 'multi-signature' });
  });

  it('setting the common policy again removes the override', async () => {
    const r = await put('admin-753', url('753', 'waste-interval'), { kind: 'alone', alternative: 'attest' });
    expect(r.json()).toMatchObject({ overridden: false, policy: { kind: 'alone', alternative: 'attest' } });
  });

  it('only that municipality\'s admin (or the umbrella admin) may change it', async () => {
    expect((await put(null, url('049', 'feedback'), { kind: 'mandate' })).statusCode).toBe(401);
    const other = await put('admin-245', url('049', 'feedback'), { kind: 'mandate' });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'access.not-your-municipality', params: { municipality: '049' } });
    expect((await put('caseworker-049', url('049', 'feedback'), { kind: 'mandate' })).statusCode).toBe(403);
    expect((await put('umbrella-admin', url('049', 'feedback'), { kind: 'mandate' })).statusCode).toBe(200);
    expect((await put('admin-049', url('049', 'no-such'), { kind: 'mandate' })).statusCode).toBe(404);
  });

  it('names the field of a malformed policy', async () => {
    const r1 = await put('admin-049', url('049', 'feedback'), { kind: 'sometimes' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().errors.map((e: { field: string }) => e.field)).toContain('kind');
    const r2 = await put('admin-049', url('049', 'feedback'), { kind: 'alone' });
    expect(r2.json()).toMatchObject({ field: 'alternative', code: 'policy.alternative-required' });
    const r3 = await put('admin-049', url('049', 'feedback'), { kind: 'mandate', alternative: 'notify' });
    expect(r3.json().field).toBe('alternative');
  });
});

describe('the common catalogue is versioned and kept by the umbrella organisation', () => {
  const body = {
    name: { fi: 'Jäteastian tyhjennysvälin muutos', sv: 'Ändring av tömningsintervall', en: 'Change of waste collection interval' },
    subject: 'property', issues: ['waste-and-water'], parties: 'owners-of-property',
    policy: { kind: 'alone', alternative: 'notify' }, note: 'Owners are told of interval changes',
  };
  const save = async (staff: string, code: string, payload: object, dryRun = false) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/admin/catalogue/services/${code}${dryRun ? '?dryRun=true' : ''}`, headers: await t.as({ staff }), payload });

  it('shows what a change would do to municipalities without saving it (dry run)', async () => {
    const r = await save('umbrella-admin', 'waste-interval', body, true);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ saved: false, diff: { changed: [{ code: 'waste-interval', fields: { policy: { from: { kind: 'alone', alternative: 'attest' }, to: { kind: 'alone', alternative: 'notify' } } } }] } });
    expect(r.json().impact.map((i: { municipality: string }) => i.municipality)).toEqual(['111', '245', '753']);
    expect((await get('/api/v1/municipalities/245/services/waste-interval')).json().policy).toEqual({ kind: 'alone', alternative: 'attest' });
  });

  it('saves a change as a new version that can be compared with the previous one', async () => {
    const r = await save('umbrella-admin', 'waste-interval', body);
    expect(r.json()).toMatchObject({ saved: true, version: 2 });
    expect((await get('/api/v1/municipalities/245/services/waste-interval')).json()).toMatchObject({ policy: { kind: 'alone', alternative: 'notify' }, catalogueVersion: 2 });
    const versions = (await get('/api/v1/catalogue/versions')).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ createdBy: 'umbrella-admin', note: 'Owners are told of interval changes' });
    const cmp = (await get('/api/v1/catalogue/versions/1/compare/2')).json();
    expect(cmp.services).toEqual({ added: [], removed: [], changed: [{ code: 'waste-interval', fields: { policy: { from: { kind: 'alone', alternative: 'attest' }, to: { kind: 'alone', alternative: 'notify' } } } }] });
    expect((await get('/api/v1/catalogue/versions/1/compare/9')).statusCode).toBe(404);
  });

  it('drops a municipal override that a stricter common policy would make looser, and says so', async () => {
    const r = await save('umbrella-admin', 'ece-application', {
      name: fixture.services[0]!.name, subject: 'child', issues: ['early-childhood-education'], parties: 'guardians-of-subject',
      policy: { kind: 'mandate' },
    });
    const espoo = r.json().impact.find((i: { municipality: string }) => i.municipality === '049');
    expect(espoo).toEqual({ municipality: '049', before: { kind: 'alone', alternative: 'confirm' }, after: { kind: 'mandate' }, changes: true, overrideDropped: true });
    expect((await get('/api/v1/municipalities/049/services/ece-application')).json()).toMatchObject({ policy: { kind: 'mandate' }, overridden: false });
  });

  it('adds a new class; only the umbrella admin may; bad classes are refused naming the field', async () => {
    const fresh = { ...body, name: { fi: 'Venepaikkahakemus', sv: 'Ansökan om båtplats', en: 'Boat berth application' }, subject: 'self-or-principal', issues: ['culture-and-leisure'], parties: 'none', policy: { kind: 'mandate' } };
    expect((await save('admin-753', 'boat-berth', fresh)).statusCode).toBe(403);
    const r = await save('umbrella-admin', 'boat-berth', fresh);
    expect(r.json()).toMatchObject({ saved: true, diff: { added: ['boat-berth'] } });
    expect((await get('/api/v1/catalogue/services')).json().services.map((s: { code: string }) => s.code)).toContain('boat-berth');
    const bad = await save('umbrella-admin', 'boat-berth', { ...fresh, issues: ['no-such-issue'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('issues/0');
    const noIssues = await save('umbrella-admin', 'boat-berth', { ...fresh, issues: [] });
    expect(noIssues.json().field).toBe('issues');
    const noSv = await save('umbrella-admin', 'boat-berth', { ...fresh, name: { fi: 'x', sv: ' ', en: 'y' } });
    expect(noSv.json().field).toBe('name.sv');
  });
});

describe('issues, bundles and municipalities', () => {
  it('come with names in three languages, a title in the one asked for, and an ETag', async () => {
    const issues = await get('/api/v1/catalogue/issues', { 'accept-language': 'en' });
    expect(issues.json().issues[0]).toEqual({ code: 'early-childhood-education', name: fixture.issues[0]!.name, title: 'Early childhood education' });
    expect(issues.headers.etag).toBeDefined();
    const bundles = (await get('/api/v1/catalogue/bundles', { 'accept-language': 'sv' })).json().bundles;
    expect(bundles.find((b: { code: string }) => b.code === 'owning-a-property')).toMatchObject({ title: 'Att äga en fastighet', issues: ['property-matters', 'building-control', 'waste-and-water'] });
    const m = (await get('/api/v1/municipalities', { 'accept-language': 'sv' })).json().municipalities;
    expect(m.find((x: { code: string }) => x.code === '853')).toMatchObject({ title: 'Åbo', languages: ['fi', 'sv'] });
  });
});

describe("a municipality's own services", () => {
  const call = async (method: 'PUT' | 'DELETE', staff: string, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await t.as({ staff }), ...(payload ? { payload } : {}) });
  const url = (m: string, s: string) => `/api/v1/admin/municipalities/${m}/services/${s}`;

  it('adopts a common class with a local name, links and contact details, then stops offering it', async () => {
    expect((await get('/api/v1/municipalities/111/services/resident-parking')).statusCode).toBe(404);
    const r = await call('PUT', 'admin-111', url('111', 'resident-parking'), {
      localName: { fi: 'Asukaspysäköinti Heinolassa', sv: 'Boendeparkering i Heinola', en: 'Resident parking in Heinola' },
      links: [{ url: 'https://www.heinola.fi/pysakointi', title: { fi: 'Ohjeet' } }],
      contact: { phone: '03 123 4567', email: 'pysakointi@heinola.example' },
    });
    expect(r.statusCode).toBe(200);
    const pub = (await get('/api/v1/municipalities/111/services/resident-parking', { 'accept-language': 'en' })).json();
    expect(pub).toMatchObject({ title: 'Resident parking in Heinola', policy: { kind: 'mandate' }, links: [{ url: 'https://www.heinola.fi/pysakointi' }], contact: { phone: '03 123 4567' } });
    expect((await call('DELETE', 'admin-111', url('111', 'resident-parking'))).statusCode).toBe(204);
    expect((await get('/api/v1/municipalities/111/services/resident-parking')).statusCode).toBe(404);
  });

  it('refuses bad details naming the field, other municipalities, and unknown classes', async () => {
    const bad = await call('PUT', 'admin-111', url('111', 'feedback'), { links: [{ url: 'javascript:alert(1)' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('links.0.url');
    expect((await call('PUT', 'admin-111', url('111', 'feedback'), { contact: { email: 'not-an-address' } })).json().field).toBe('contact.email');
    expect((await call('PUT', 'admin-245', url('111', 'feedback'), { contact: null })).statusCode).toBe(403);
    expect((await call('PUT', 'admin-111', url('111', 'no-such-class'), {})).statusCode).toBe(404);
    expect((await call('DELETE', 'admin-111', url('111', 'street-use-permit'))).statusCode).toBe(404);
  });
});

describe('issues and bundles, kept by the umbrella organisation', () => {
  const put = async (staff: string, url: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: await t.as({ staff }), payload });

  it('renames an issue and adds one; each save is a version; mandates can use the new issue at once', async () => {
    const before = (await get('/api/v1/catalogue/versions')).json().versions[0].version;
    const renamed = await put('umbrella-admin', '/api/v1/admin/catalogue/issues/housing', { name: { fi: 'Asuminen', sv: 'Boende', en: 'Housing' }, note: 'Shorter names' });
    expect(renamed.json()).toMatchObject({ saved: true, version: before + 1, diff: { issues: { changed: [{ code: 'housing' }] } } });
    expect((await get('/api/v1/catalogue/issues', { 'accept-language': 'sv' })).json().issues.find((i: { code: string }) => i.code === 'housing').title).toBe('Boende');
    const added = await put('umbrella-admin', '/api/v1/admin/catalogue/issues/boating', { name: { fi: 'Veneily', sv: 'Båtliv', en: 'Boating' } });
    expect(added.json()).toMatchObject({ saved: true, diff: { issues: { added: ['boating'] } } });
    const grant = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: await t.as({ person: '021137-902T' }), payload: { agent: { type: 'person', id: '140362-901H' }, issues: ['boating'], validUntil: '2027-06-30' } });
    expect(grant.statusCode).toBe(201);
    const cmp = (await get(`/api/v1/catalogue/versions/${before}/compare/${before + 2}`)).json();
    expect(cmp.issues.added).toEqual(['boating']);
  });

  it('adds a bundle of known issues; refuses unknown issues, missing names and other staff', async () => {
    const r = await put('umbrella-admin', '/api/v1/admin/catalogue/bundles/moving-house', { name: { fi: 'Muutto', sv: 'Flytt', en: 'Moving house' }, issues: ['housing', 'waste-and-water'] });
    expect(r.json()).toMatchObject({ saved: true, diff: { bundles: { added: ['moving-house'] } } });
    expect((await get('/api/v1/catalogue/bundles')).json().bundles.map((b: { code: string }) => b.code)).toContain('moving-house');
    expect((await put('umbrella-admin', '/api/v1/admin/catalogue/bundles/moving-house', { name: { fi: 'Muutto', sv: 'Flytt', en: 'Moving house' }, issues: ['nope'] })).json().field).toBe('issues/0');
    expect((await put('umbrella-admin', '/api/v1/admin/catalogue/issues/x', { name: { fi: 'X', sv: '', en: 'X' } })).json().field).toBe('name.sv');
    for (const bad of ['Bad Code', '-', 'a--b', 'trailing-']) {
      expect((await put('umbrella-admin', `/api/v1/admin/catalogue/issues/${encodeURIComponent(bad)}`, { name: { fi: 'X', sv: 'X', en: 'X' } })).json().field, bad).toBe('code');
    }
    expect((await put('admin-049', '/api/v1/admin/catalogue/issues/housing', { name: { fi: 'X', sv: 'X', en: 'X' } })).statusCode).toBe(403);
  });
});
