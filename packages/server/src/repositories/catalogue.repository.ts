import type { Db } from '../db/database.js';
import type { Name3 } from '../db/schema.js';

/** The catalogue's stored policy shape (parsed by the domain's `parsePolicy`). */
export type StoredPolicy = { kind: string; alternative?: string };

// ---- what every process holds in memory: issues, bundles, municipalities, the latest version ---

export async function issueRows(db: Db) {
  return db.selectFrom('issues').select(['code', 'name']).orderBy('position').execute();
}

export async function bundleRows(db: Db) {
  return db.selectFrom('bundles').select(['code', 'name', 'issues']).orderBy('position').execute();
}

export async function municipalityRows(db: Db) {
  return db.selectFrom('municipalities').selectAll().orderBy('code').execute();
}

// ---- catalogue versions -------------------------------------------------------------------------

/** The common catalogue's latest version; 0 before the first. */
export async function latestCatalogueVersion(db: Db): Promise<number> {
  const r = await db.selectFrom('catalogue_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(r?.v ?? 0);
}

/** The latest version with its snapshot, locked until the transaction ends (the next version's number follows it). */
export async function lockLatestCatalogueVersion(tx: Db) {
  return tx.selectFrom('catalogue_versions').select(['version', 'snapshot']).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
}

export async function catalogueVersionRows(db: Db) {
  return db.selectFrom('catalogue_versions').select(['version', 'created_at', 'created_by', 'note']).orderBy('version', 'desc').execute();
}

export async function catalogueSnapshots(db: Db, versions: readonly number[]) {
  return db.selectFrom('catalogue_versions').select(['version', 'snapshot']).where('version', 'in', [...versions]).execute();
}

export async function insertCatalogueVersion(tx: Db, v: { version: number; createdBy: string; note: string | null; snapshot: unknown }): Promise<void> {
  await tx.insertInto('catalogue_versions').values({ version: v.version, created_by: v.createdBy, note: v.note, snapshot: JSON.stringify(v.snapshot) }).execute();
}

// ---- service classes ----------------------------------------------------------------------------

export async function serviceClassRows(db: Db) {
  return db.selectFrom('service_classes').selectAll().orderBy('position').execute();
}

export type ServiceClassRow = Awaited<ReturnType<typeof serviceClassRows>>[number];

export async function serviceClassCodes(db: Db): Promise<string[]> {
  return (await db.selectFrom('service_classes').select('code').orderBy('position').execute()).map((r) => r.code);
}

export async function serviceClassExists(db: Db, code: string): Promise<boolean> {
  return (await db.selectFrom('service_classes').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** A service class, locked until the transaction ends. */
export async function lockServiceClass(tx: Db, code: string) {
  return tx.selectFrom('service_classes').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export interface ServiceClassValues {
  name: Name3; description: Name3 | null; subject: string; issues: string[]; parties: string;
  policy: StoredPolicy; recommendedMandate: string | null; version: number;
}

const classColumns = (v: ServiceClassValues) => ({
  name: JSON.stringify(v.name), description: v.description ? JSON.stringify(v.description) : null, subject: v.subject,
  issues: v.issues, parties: v.parties, policy: JSON.stringify(v.policy), recommended_mandate: v.recommendedMandate, version: v.version,
});

export async function updateServiceClass(tx: Db, code: string, v: ServiceClassValues): Promise<void> {
  await tx.updateTable('service_classes').set(classColumns(v)).where('code', '=', code).execute();
}

/** Adds a class after the last one. */
export async function insertServiceClass(tx: Db, code: string, v: ServiceClassValues): Promise<void> {
  const pos = await tx.selectFrom('service_classes').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
  await tx.insertInto('service_classes').values({ code, position: Number(pos?.p ?? -1) + 1, ...classColumns(v) }).execute();
}

// ---- issues and bundles -------------------------------------------------------------------------

/** Creates (after the last one) or renames an issue, locking it first. */
export async function saveIssueRow(tx: Db, code: string, name: Name3): Promise<void> {
  const exists = await tx.selectFrom('issues').select('position').where('code', '=', code).forUpdate().executeTakeFirst();
  if (exists) await tx.updateTable('issues').set({ name: JSON.stringify(name) }).where('code', '=', code).execute();
  else {
    const pos = await tx.selectFrom('issues').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    await tx.insertInto('issues').values({ code, name: JSON.stringify(name), position: Number(pos?.p ?? -1) + 1 }).execute();
  }
}

/** Creates (after the last one) or changes a bundle, locking it first. */
export async function saveBundleRow(tx: Db, code: string, name: Name3, issues: string[]): Promise<void> {
  const exists = await tx.selectFrom('bundles').select('position').where('code', '=', code).forUpdate().executeTakeFirst();
  if (exists) await tx.updateTable('bundles').set({ name: JSON.stringify(name), issues }).where('code', '=', code).execute();
  else {
    const pos = await tx.selectFrom('bundles').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    await tx.insertInto('bundles').values({ code, name: JSON.stringify(name), issues, position: Number(pos?.p ?? -1) + 1 }).execute();
  }
}

// ---- a municipality's services ------------------------------------------------------------------

/** A municipality's services joined with their common class, in catalogue order; one service when `serviceCode` is given. */
export async function municipalServiceRows(db: Db, municipality: string, serviceCode?: string) {
  let q = db.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
    .selectAll('service_classes').select(['municipal_services.local_name', 'municipal_services.links', 'municipal_services.contact', 'municipal_services.policy_override', 'municipal_services.ptv_id'])
    .where('municipal_services.municipality', '=', municipality);
  if (serviceCode !== undefined) q = q.where('municipal_services.service_code', '=', serviceCode);
  return q.orderBy('service_classes.position').execute();
}

export type MunicipalServiceRow = Awaited<ReturnType<typeof municipalServiceRows>>[number];

/** Each of a municipality's services with the common policy and its override, in catalogue order. */
export async function municipalPolicies(db: Db, municipality: string) {
  return db.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
    .select(['municipal_services.service_code', 'municipal_services.policy_override', 'service_classes.policy'])
    .where('municipality', '=', municipality).orderBy('service_classes.position').execute();
}

/** The common policy of a municipality's service, its row locked until the transaction ends; undefined when not offered. */
export async function lockMunicipalServiceCommonPolicy(tx: Db, municipality: string, serviceCode: string) {
  return tx.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
    .select(['service_classes.policy']).where('municipality', '=', municipality).where('service_code', '=', serviceCode).forUpdate().executeTakeFirst();
}

export async function setPolicyOverride(tx: Db, municipality: string, serviceCode: string, override: StoredPolicy | null, at: Date): Promise<void> {
  await tx.updateTable('municipal_services').set({ policy_override: override ? JSON.stringify(override) : null, updated_at: at })
    .where('municipality', '=', municipality).where('service_code', '=', serviceCode).execute();
}

/** The municipalities offering a class, with their overrides. */
export async function overridesOfClass(db: Db, serviceCode: string) {
  return db.selectFrom('municipal_services').select(['municipality', 'policy_override']).where('service_code', '=', serviceCode).orderBy('municipality').execute();
}

export interface LocalDetails {
  localName?: Name3 | null;
  links?: unknown[];
  contact?: Record<string, unknown> | null;
}

/** Adds the service to the municipality (with no links) or changes the given local details of it. */
export async function upsertMunicipalService(tx: Db, municipality: string, serviceCode: string, d: LocalDetails, at: Date): Promise<void> {
  const details = {
    ...(d.localName !== undefined ? { local_name: d.localName ? JSON.stringify(d.localName) : null } : {}),
    ...(d.links !== undefined ? { links: JSON.stringify(d.links) } : {}),
    ...(d.contact !== undefined ? { contact: d.contact ? JSON.stringify(d.contact) : null } : {}),
  };
  await tx.insertInto('municipal_services')
    .values({ municipality, service_code: serviceCode, links: '[]', ...details })
    .onConflict((oc) => oc.columns(['municipality', 'service_code']).doUpdateSet({ ...details, updated_at: at }))
    .execute();
}

/** Removes a municipality's service; false when it was not offered. */
export async function deleteMunicipalService(tx: Db, municipality: string, serviceCode: string): Promise<boolean> {
  const r = await tx.deleteFrom('municipal_services').where('municipality', '=', municipality).where('service_code', '=', serviceCode).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Takes a PTV id off every other service of the municipality (one PTV record describes one service). */
export async function clearPtvIdElsewhere(tx: Db, municipality: string, ptvId: string, keepService: string, at: Date): Promise<void> {
  await tx.updateTable('municipal_services').set({ ptv_id: null, updated_at: at })
    .where('municipality', '=', municipality).where('ptv_id', '=', ptvId).where('service_code', '!=', keepService).execute();
}

/** Sets a municipal service's PTV id; false when the municipality does not offer the service. */
export async function setMunicipalServicePtvId(tx: Db, municipality: string, serviceCode: string, ptvId: string, at: Date): Promise<boolean> {
  const r = await tx.updateTable('municipal_services').set({ ptv_id: ptvId, updated_at: at })
    .where('municipality', '=', municipality).where('service_code', '=', serviceCode).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Adds a service to the municipality with no local details, carrying a PTV id. */
export async function insertMunicipalServiceFromPtv(tx: Db, municipality: string, serviceCode: string, ptvId: string, at: Date): Promise<void> {
  await tx.insertInto('municipal_services').values({ municipality, service_code: serviceCode, local_name: null, links: '[]', contact: null, policy_override: null, ptv_id: ptvId, updated_at: at }).execute();
}
