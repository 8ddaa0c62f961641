import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SessionHeaders, type TestApp } from './helpers.js';
import { ptvService } from './ptv-simulator.js';

// Each catalogue and PTV command is one unit of work: the change, one audit entry with the staff
// member as actor, and one typed domain event commit together; a refused command or a dry run
// leaves neither. None of them changes who may act for whom, so the authorization version stays.

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const ADMIN_753 = { kind: 'staff', key: 'admin-753', municipality: '753' };
const UMBRELLA = { kind: 'staff', key: 'umbrella-admin', municipality: null };
const PTV_ID = '88888888-8888-4888-8888-888888888888';

const authzVersion = async () => Number((await t.ctx.db.selectFrom('authz_state').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);

/** Runs a request and returns what it wrote to the event table and the audit log. */
async function written(request: () => Promise<{ statusCode: number; body: string }>) {
  const lastEvent = Number((await t.ctx.db.selectFrom('domain_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  const lastSeq = Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  const version = await authzVersion();
  const r = await request();
  const events = await t.ctx.db.selectFrom('domain_events').select(['type', 'payload', 'actor', 'mandate_id', 'at']).where('id', '>', lastEvent).orderBy('id').execute();
  const audit = await t.ctx.db.selectFrom('audit_log').select(['event', 'actor', 'mandate_id', 'municipality', 'data', 'at']).where('seq', '>', lastSeq).orderBy('seq').execute();
  expect(await authzVersion(), 'a catalogue command does not change the authorization version').toBe(version);
  return { status: r.statusCode, body: r.body, events, audit };
}

/** Exactly one event of the type with this payload, and its one audit entry by this staff member. */
function expectOne(w: Awaited<ReturnType<typeof written>>, status: number, type: string, payload: Record<string, unknown>, actor: object) {
  expect(w.status, w.body).toBe(status);
  expect(w.events).toHaveLength(1);
  expect(w.events[0]).toMatchObject({ type, payload: { type, ...payload }, actor, mandate_id: null });
  expect(new Date(w.events[0]!.at).toISOString()).toBe(t.clock.now.toISOString());
  expect(w.audit).toHaveLength(1);
  expect(w.audit[0]).toMatchObject({ event: type, actor, mandate_id: null });
  expect(new Date(w.audit[0]!.at).toISOString()).toBe(t.clock.now.toISOString());
}

function expectNothing(w: Awaited<ReturnType<typeof written>>, status: number) {
  expect(w.status, w.body).toBe(status);
  expect(w.events).toEqual([]);
  expect(w.audit).toEqual([]);
}

const send = (method: 'PUT' | 'POST' | 'DELETE', url: string, headers: SessionHeaders, payload?: object) =>
  () => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const admin = (m: string) => `/api/v1/admin/municipalities/${m}`;

describe("a municipality admin's commands", () => {
  let h: SessionHeaders;
  beforeAll(async () => { h = await t.as({ staff: 'admin-753' }); });

  it('a stricter policy: one municipal-policy.set event and its audit entry in the municipality', async () => {
    const w = await written(send('PUT', `${admin('753')}/services/waste-interval/policy`, h, { kind: 'alone', alternative: 'confirm' }));
    expectOne(w, 200, 'municipal-policy.set', { municipality: '753', service: 'waste-interval', policy: { kind: 'alone', alternative: 'confirm' } }, ADMIN_753);
    expect(w.audit[0]).toMatchObject({ municipality: '753', data: { service: 'waste-interval', policy: { kind: 'alone', alternative: 'confirm' } } });
  });

  it('a looser policy, another municipality and an unknown service are refused and leave no event and no audit entry', async () => {
    const looser = await written(send('PUT', `${admin('753')}/services/ece-application/policy`, h, { kind: 'alone', alternative: 'attest' }));
    expectNothing(looser, 400);
    expect(JSON.parse(looser.body)).toMatchObject({ code: 'policy.looser-than-common' });
    expectNothing(await written(send('PUT', `${admin('245')}/services/feedback/policy`, h, { kind: 'mandate' })), 403);
    expectNothing(await written(send('PUT', `${admin('753')}/services/street-use-permit/policy`, h, { kind: 'mandate' })), 404);
  });

  it('adopting a class and removing it: one municipal-service.saved, then one municipal-service.removed', async () => {
    const adopt = await written(send('PUT', `${admin('753')}/services/resident-parking`, h, {
      localName: { fi: 'Asukaspysäköinti Sipoossa', sv: 'Boendeparkering i Sibbo', en: 'Resident parking in Sipoo' },
      contact: { email: 'pysakointi@sipoo.example' },
    }));
    expectOne(adopt, 200, 'municipal-service.saved', { municipality: '753', service: 'resident-parking' }, ADMIN_753);
    expect(JSON.stringify(adopt.events[0]!.payload), 'no contact details in the event').not.toContain('sipoo.example');

    expectNothing(await written(send('PUT', `${admin('753')}/services/resident-parking`, h, { contact: { email: 'not-an-address' } })), 400);

    const remove = await written(send('DELETE', `${admin('753')}/services/resident-parking`, h));
    expectOne(remove, 204, 'municipal-service.removed', { municipality: '753', service: 'resident-parking' }, ADMIN_753);
    expectNothing(await written(send('DELETE', `${admin('753')}/services/resident-parking`, h)), 404);
  });

  it('a PTV import is one ptv.imported with its counts; a link is one ptv.linked', async () => {
    const page = { pageNumber: 1, pageSize: 100, pageCount: 1, itemList: [ptvService(PTV_ID, { fi: 'Hautapaikan varaus', sv: 'Reservering av gravplats' })] };
    const imported = await written(send('POST', `${admin('753')}/ptv-imports`, h, page));
    expectOne(imported, 200, 'ptv.imported', { municipality: '753', created: 1, updated: 0, unchanged: 0 }, ADMIN_753);
    const again = await written(send('POST', `${admin('753')}/ptv-imports`, h, page));
    expectOne(again, 200, 'ptv.imported', { municipality: '753', created: 0, updated: 0, unchanged: 1 }, ADMIN_753);

    expectNothing(await written(send('POST', `${admin('753')}/ptv-links`, h, { ptvId: PTV_ID, service: 'no-such' })), 400);
    const link = await written(send('POST', `${admin('753')}/ptv-links`, h, { ptvId: PTV_ID, service: 'feedback' }));
    expectOne(link, 200, 'ptv.linked', { municipality: '753', ptvId: PTV_ID, service: 'feedback' }, ADMIN_753);
  });
});

describe("the umbrella organisation's commands", () => {
  let h: SessionHeaders;
  beforeAll(async () => { h = await t.as({ staff: 'umbrella-admin' }); });
  const body = {
    name: { fi: 'Jäteastian tyhjennysvälin muutos', sv: 'Ändring av tömningsintervall', en: 'Change of waste collection interval' },
    subject: 'property', issues: ['waste-and-water'], parties: 'owners-of-property', policy: { kind: 'alone', alternative: 'notify' },
  };
  const classUrl = '/api/v1/admin/catalogue/services/waste-interval';

  it('a dry run of a class change writes no event and no audit entry; saving it writes one catalogue.class-saved with the new version', async () => {
    const dry = await written(send('PUT', `${classUrl}?dryRun=true`, h, body));
    expectNothing(dry, 200);
    expect(JSON.parse(dry.body)).toMatchObject({ saved: false });
    const saved = await written(send('PUT', classUrl, h, body));
    const version = JSON.parse(saved.body).version as number;
    expectOne(saved, 200, 'catalogue.class-saved', { service: 'waste-interval', version }, UMBRELLA);
    expect(version).toBeGreaterThan(1);
    const unchanged = await written(send('PUT', classUrl, h, body));
    expectNothing(unchanged, 200);
    expect(JSON.parse(unchanged.body)).toMatchObject({ saved: false, version });
  });

  it('an issue save is one catalogue.issue-saved; saving the same name again writes nothing', async () => {
    const payload = { name: { fi: 'Veneily', sv: 'Båtliv', en: 'Boating' } };
    const w = await written(send('PUT', '/api/v1/admin/catalogue/issues/boating', h, payload));
    expectOne(w, 200, 'catalogue.issue-saved', { issue: 'boating', version: JSON.parse(w.body).version }, UMBRELLA);
    expectNothing(await written(send('PUT', '/api/v1/admin/catalogue/issues/boating', h, payload)), 200);
    expectNothing(await written(send('PUT', '/api/v1/admin/catalogue/issues/boating', h, { name: { fi: 'Veneily', sv: '', en: 'Boating' } })), 400);
  });

  it('a bundle save is one catalogue.bundle-saved', async () => {
    const w = await written(send('PUT', '/api/v1/admin/catalogue/bundles/moving-house', h, { name: { fi: 'Muutto', sv: 'Flytt', en: 'Moving house' }, issues: ['housing', 'waste-and-water'] }));
    expectOne(w, 200, 'catalogue.bundle-saved', { bundle: 'moving-house', version: JSON.parse(w.body).version }, UMBRELLA);
  });

  it('a municipality admin may not change the common catalogue, and the refusal writes nothing', async () => {
    expectNothing(await written(send('PUT', classUrl, await t.as({ staff: 'admin-753' }), body)), 403);
  });
});
