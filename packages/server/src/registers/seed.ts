import { createHash } from 'node:crypto';
import { isBusinessId } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import type { Fixture } from './fixture.js';
import { DEMO_CLIENT_NAMES } from './demo-client-names.js';
import { appendAudit } from '../repositories/audit.repository.js';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

const partyType = (id: string) => (isBusinessId(id) ? ('organization' as const) : ('person' as const));

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Registers, catalogue, staff and API clients: everything but mandates. Ids exactly as given. */
export async function seedRegisters(db: Db, f: Fixture): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const n = 1000;
    if (f.municipalities.length) await tx.insertInto('municipalities').values(f.municipalities.map((m) => ({ code: m.code, name: JSON.stringify(m.name), languages: m.languages }))).execute();
    await insertChunked(f.persons, n, (c) =>
      tx.insertInto('persons').values(c.map((p) => ({
        id: p.id, key: p.key ?? null, first_name: p.firstName, last_name: p.lastName, birth_date: p.birthDate,
        municipality: p.municipality, language: p.language, contact: JSON.stringify(p.contact ?? {}),
      }))).execute());
    await insertChunked(f.guardianships, n, (c) => tx.insertInto('guardianships').values(c.map((g) => ({ guardian_id: g.guardian, child_id: g.child }))).execute());
    await insertChunked(f.courtGuardianships, n, (c) =>
      tx.insertInto('court_guardianships').values(c.map((g) => ({ guardian_id: g.guardian, ward_id: g.ward, scope: g.scope, valid_until: g.validUntil }))).execute());
    await insertChunked(f.organizations, n, (c) =>
      tx.insertInto('organizations').values(c.map((o) => ({ id: o.id, key: o.key ?? null, name: o.name, form: o.form, municipality: o.municipality, signing_rule: o.signingRule ?? null }))).execute());
    await insertChunked(f.organizations.flatMap((o) => o.roles.map((r) => ({ organization_id: o.id, person_id: r.person, role: r.role, signing: r.signing }))), n, (c) =>
      tx.insertInto('organization_roles').values(c).execute());
    await insertChunked(f.properties, n, (c) =>
      tx.insertInto('properties').values(c.map((p) => ({ id: p.id, key: p.key ?? null, municipality: p.municipality, address: p.address ?? null }))).execute());
    await insertChunked(f.properties.flatMap((p) => p.owners.map((o) => ({ property_id: p.id, owner_type: o.type, owner_id: o.id, share: o.share ?? null }))), n, (c) =>
      tx.insertInto('property_owners').values(c).execute());
    if (f.issues.length) await tx.insertInto('issues').values(f.issues.map((i, position) => ({ code: i.code, name: JSON.stringify(i.name), position }))).execute();
    if (f.bundles.length) await tx.insertInto('bundles').values(f.bundles.map((b, position) => ({ code: b.code, name: JSON.stringify(b.name), issues: b.issues, position }))).execute();
    if (f.staff.length) await tx.insertInto('staff').values(f.staff.map((s) => ({ key: s.key, name: s.name, municipality: s.municipality, roles: s.roles }))).execute();
    if (f.apiClients.length) await tx.insertInto('api_clients').values(f.apiClients.map((c) => ({ id: c.id, secret_hash: hashSecret(c.secret), municipality: c.municipality, display_name: (c.displayName ?? DEMO_CLIENT_NAMES[c.id]) ? JSON.stringify(c.displayName ?? DEMO_CLIENT_NAMES[c.id]) : null }))).execute();
  });
}

/** The fixture's mandates, active as given, each with a "granted" entry in the usage log. */
export async function seedMandates(db: Db, f: Fixture): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const m of f.mandates) {
      const principal = { type: partyType(m.principal), id: m.principal };
      const agent = { type: partyType(m.agent), id: m.agent };
      await tx.insertInto('mandates').values({
        id: m.key,
        principal_type: principal.type, principal_id: principal.id,
        agent_type: agent.type, agent_id: agent.id,
        issues: m.issues, bundle: m.bundle ?? null,
        valid_from: m.validFrom, valid_until: m.validUntil,
        status: 'active', one_off: m.oneOff ?? false,
        target_type: m.target?.type ?? null, target_id: m.target?.id ?? null,
        municipality: m.municipality ?? null,
        source: 'electronic', created_by: JSON.stringify({ kind: 'seed' }),
        approvers_required: [], approvers_done: [], paper_document: null, change_version: 0,
      }).execute();
      await appendAudit(tx, { mandateId: m.key, event: 'granted', actor: { kind: 'seed' }, data: { issues: m.issues, validFrom: m.validFrom, validUntil: m.validUntil } });
    }
  });
}

export async function isSeeded(db: Db): Promise<boolean> {
  const r = await db.selectFrom('persons').select('id').limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function seedFixture(db: Db, f: Fixture): Promise<void> {
  await seedRegisters(db, f);
  await seedMandates(db, f);
  await seedCatalogue(db, f);
}

/** The common catalogue (version 1) and each municipality's services and overrides. */
export async function seedCatalogue(db: Db, f: Fixture): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (f.services.length) {
      await tx.insertInto('service_classes').values(f.services.map((s, position) => ({
        code: s.code, name: JSON.stringify(s.name), description: s.description ? JSON.stringify(s.description) : null,
        subject: s.subject, issues: s.issues, parties: s.parties, policy: JSON.stringify(s.policy),
        recommended_mandate: s.recommendedMandate ?? null, position, version: 1,
      }))).execute();
    }
    const rows = Object.entries(f.municipalServices).flatMap(([municipality, codes]) => codes.map((service_code) => {
      const o = f.overrides.find((x) => x.municipality === municipality && x.service === service_code);
      return { municipality, service_code, policy_override: o ? JSON.stringify(o.policy) : null, links: '[]' };
    }));
    if (rows.length) await tx.insertInto('municipal_services').values(rows).execute();
    await tx.insertInto('catalogue_versions').values({ version: 1, created_by: 'seed', note: 'Common catalogue from the demo data', snapshot: JSON.stringify({ services: f.services, issues: f.issues, bundles: f.bundles }) }).execute();
  });
}

export async function isCatalogueSeeded(db: Db): Promise<boolean> {
  return (await db.selectFrom('catalogue_versions').select('version').limit(1).executeTakeFirst()) !== undefined;
}
