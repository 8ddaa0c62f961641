import {
  assertNotLooser, canonicalJson, diffCoded, guidance, parsePolicy, refuse, strictness,
  type CodedItem, type Parties, type Policy, type Text3,
} from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { loadCatalogue, type Context } from './context.js';
import { asMunicipalityCode, type StaffActor as Staff } from '@puolesta/domain';
import { assertAllowed } from './access.js';

export interface ServiceClassView {
  code: string;
  name: Text3;
  description?: Text3;
  subject: string;
  issues: string[];
  parties: Parties;
  policy: Policy;
  recommendedMandate?: string;
  version: number;
}

export interface MunicipalServiceView {
  code: string;
  municipality: string;
  name: Text3;
  /** The common catalogue's class this service is mapped to (same code). */
  commonClass: string;
  subject: string;
  issues: string[];
  parties: Parties;
  /** The policy in force here: the municipality's override, or the common one. */
  policy: Policy;
  commonPolicy: Policy;
  overridden: boolean;
  recommendedMandate?: string;
  catalogueVersion: number;
  guidance: Text3;
  links: unknown[];
  contact?: Record<string, unknown>;
  ptvId?: string;
}

type ClassRow = Awaited<ReturnType<typeof classRows>>[number];

async function classRows(ctx: Context) {
  return ctx.db.selectFrom('service_classes').selectAll().orderBy('position').execute();
}

const toPolicy = (p: { kind: string; alternative?: string }): Policy => parsePolicy(p);

function classView(r: ClassRow): ServiceClassView {
  return {
    code: r.code,
    name: r.name as Text3,
    ...(r.description ? { description: r.description as Text3 } : {}),
    subject: r.subject,
    issues: r.issues,
    parties: r.parties as Parties,
    policy: toPolicy(r.policy),
    ...(r.recommended_mandate ? { recommendedMandate: r.recommended_mandate } : {}),
    version: r.version,
  };
}

export async function catalogueVersion(ctx: Context): Promise<number> {
  const r = await ctx.db.selectFrom('catalogue_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function listServiceClasses(ctx: Context): Promise<{ version: number; services: ServiceClassView[] }> {
  return { version: await catalogueVersion(ctx), services: (await classRows(ctx)).map(classView) };
}

function requireMunicipality(ctx: Context, code: string) {
  const m = ctx.catalogue.municipalities.get(code);
  if (!m) throw refuse('catalogue.unknown-municipality', { municipality: code });
  return m;
}

async function municipalRows(ctx: Context, code: string, serviceCode?: string) {
  let q = ctx.db.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
    .selectAll('service_classes').select(['municipal_services.local_name', 'municipal_services.links', 'municipal_services.contact', 'municipal_services.policy_override', 'municipal_services.ptv_id'])
    .where('municipal_services.municipality', '=', code);
  if (serviceCode !== undefined) q = q.where('municipal_services.service_code', '=', serviceCode);
  return q.orderBy('service_classes.position').execute();
}

function municipalView(ctx: Context, code: string, r: Awaited<ReturnType<typeof municipalRows>>[number], version: number): MunicipalServiceView {
  const common = toPolicy(r.policy);
  const policy = r.policy_override ? toPolicy(r.policy_override) : common;
  const issueNames = r.issues.map((i) => (ctx.catalogue.issues.find((x) => x.code === i)?.name ?? { fi: i, sv: i, en: i }) as Text3);
  return {
    code: r.code,
    municipality: code,
    name: (r.local_name as Text3 | null) ?? (r.name as Text3),
    commonClass: r.code,
    subject: r.subject,
    issues: r.issues,
    parties: r.parties as Parties,
    policy,
    commonPolicy: common,
    overridden: r.policy_override !== null,
    ...(r.recommended_mandate ? { recommendedMandate: r.recommended_mandate } : {}),
    catalogueVersion: version,
    guidance: guidance(policy, r.parties as Parties, issueNames),
    links: (r.links as unknown[]) ?? [],
    ...(r.contact ? { contact: r.contact as Record<string, unknown> } : {}),
    ...(r.ptv_id ? { ptvId: r.ptv_id } : {}),
  };
}

export async function listMunicipalServices(ctx: Context, code: string): Promise<MunicipalServiceView[]> {
  requireMunicipality(ctx, code);
  const version = await catalogueVersion(ctx);
  return (await municipalRows(ctx, code)).map((r) => municipalView(ctx, code, r, version));
}

export async function getMunicipalService(ctx: Context, code: string, serviceCode: string): Promise<MunicipalServiceView> {
  requireMunicipality(ctx, code);
  const [r] = await municipalRows(ctx, code, serviceCode);
  if (!r) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
  return municipalView(ctx, code, r, await catalogueVersion(ctx));
}

/** May this staff member administer this municipality's catalogue? Its own admin, or the umbrella admin. */
export function assertCatalogueAdmin(staff: Staff, code: string): void {
  assertAllowed('municipal-service.edit', staff, { municipality: asMunicipalityCode(code) });
}

/** Sets a municipality's policy for a service: as strict as the common one or stricter, never looser. */
export async function setMunicipalPolicy(ctx: Context, staff: Staff, code: string, serviceCode: string, raw: { kind: string; alternative?: string }) {
  requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  const policy = parsePolicy(raw);
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
      .select(['service_classes.policy']).where('municipality', '=', code).where('service_code', '=', serviceCode).forUpdate().executeTakeFirst();
    if (!row) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
    const common = toPolicy(row.policy);
    assertNotLooser(policy, common);
    const same = JSON.stringify(policy) === JSON.stringify(common);
    await tx.updateTable('municipal_services').set({ policy_override: same ? null : JSON.stringify(policy), updated_at: ctx.now() })
      .where('municipality', '=', code).where('service_code', '=', serviceCode).execute();
  });
  return getMunicipalService(ctx, code, serviceCode);
}

// ---- the common catalogue's versions and its keeper's edits ------------------------------------

/** Codes are words of lower-case letters and digits joined by single hyphens: `ece-application`. */
const isCatalogueCode = (code: string) => code.length <= 100 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(code);

export const SUBJECTS = ['self', 'child', 'property', 'organization', 'self-or-principal', 'self-or-organization'] as const;
export const PARTIES = ['guardians-of-subject', 'owners-of-property', 'co-applicants', 'signatories-of-organization', 'none'] as const;
export const RECOMMENDED = ['one-off', 'long-term'] as const;

export interface ServiceClassInput {
  name: Text3;
  description?: Text3;
  subject: string;
  issues: string[];
  parties: string;
  policy: { kind: string; alternative?: string };
  recommendedMandate?: string;
  note?: string;
}

export async function listCatalogueVersions(ctx: Context) {
  const rows = await ctx.db.selectFrom('catalogue_versions').select(['version', 'created_at', 'created_by', 'note']).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by, note: r.note }));
}

type Snapshot = { services: CodedItem[]; issues: CodedItem[]; bundles: CodedItem[] };

export async function compareCatalogueVersions(ctx: Context, from: number, to: number) {
  const rows = await ctx.db.selectFrom('catalogue_versions').select(['version', 'snapshot']).where('version', 'in', [from, to]).execute();
  const snap = (v: number) => {
    const r = rows.find((x) => x.version === v);
    if (!r) throw refuse('catalogue.unknown-version', { version: v });
    return r.snapshot as Snapshot;
  };
  const a = snap(from);
  const b = snap(to);
  return { from, to, services: diffCoded(a.services, b.services), issues: diffCoded(a.issues, b.issues), bundles: diffCoded(a.bundles, b.bundles) };
}

function validateClass(ctx: Context, input: ServiceClassInput) {
  for (const l of ['fi', 'sv', 'en'] as const) if (!input.name[l]?.trim()) throw refuse('catalogue.name-required', { field: `name.${l}` }, `name.${l}`);
  if (!(SUBJECTS as readonly string[]).includes(input.subject)) throw refuse('catalogue.unknown-subject', {}, 'subject');
  if (!(PARTIES as readonly string[]).includes(input.parties)) throw refuse('catalogue.unknown-parties', {}, 'parties');
  for (const [i, issue] of input.issues.entries()) if (!ctx.catalogue.issueCodes.has(issue)) throw refuse('catalogue.unknown-issue', { issue }, `issues/${i}`);
  if (input.recommendedMandate !== undefined && !(RECOMMENDED as readonly string[]).includes(input.recommendedMandate)) throw refuse('catalogue.unknown-recommended-mandate', {}, 'recommendedMandate');
  const policy = parsePolicy(input.policy, 'policy');
  if (policy.kind === 'mandate' && input.issues.length === 0) throw refuse('policy.issues-required', {}, 'issues');
  return policy;
}

/**
 * The umbrella organisation creates or changes a service class: a new catalogue version. What it does
 * to each municipality is returned as `impact`; a municipal override that the new common policy would
 * make looser is dropped (the common policy applies). With `dryRun` nothing is saved.
 */
export async function saveServiceClass(ctx: Context, staff: Staff, code: string, input: ServiceClassInput, dryRun: boolean) {
  assertAllowed('catalogue-class.edit', staff, undefined);
  if (!isCatalogueCode(code)) throw refuse('catalogue.invalid-code', {}, 'serviceCode');
  const policy = validateClass(ctx, input);
  const run = async (tx: Db) => {
    const existing = await tx.selectFrom('service_classes').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    const last = await tx.selectFrom('catalogue_versions').select(['version', 'snapshot']).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
    const version = (last?.version ?? 0) + 1;
    const item: CodedItem = {
      code, name: input.name, ...(input.description ? { description: input.description } : {}), subject: input.subject, issues: input.issues,
      parties: input.parties, policy, ...(input.recommendedMandate ? { recommendedMandate: input.recommendedMandate } : {}),
    };
    const municipal = await tx.selectFrom('municipal_services').select(['municipality', 'policy_override']).where('service_code', '=', code).orderBy('municipality').execute();
    const impact = municipal.map((m) => {
      const override = m.policy_override ? parsePolicy(m.policy_override) : null;
      const before = override ?? (existing ? parsePolicy(existing.policy) : policy);
      const keepOverride = override !== null && strictness(override) > strictness(policy);
      const after = keepOverride ? override! : policy;
      return { municipality: m.municipality, before, after, changes: canonicalJson(before) !== canonicalJson(after), overrideDropped: override !== null && !keepOverride };
    });
    const previous = (last?.snapshot as Snapshot | undefined) ?? { services: [], issues: ctx.catalogue.issues as unknown as CodedItem[], bundles: ctx.catalogue.bundles as unknown as CodedItem[] };
    const services = existing ? previous.services.map((s) => (s.code === code ? item : s)) : [...previous.services, item];
    const diff = diffCoded(previous.services, services);
    if (!dryRun && (diff.added.length || diff.changed.length)) {
      const row = {
        name: JSON.stringify(input.name), description: input.description ? JSON.stringify(input.description) : null, subject: input.subject,
        issues: input.issues, parties: input.parties, policy: JSON.stringify(policy), recommended_mandate: input.recommendedMandate ?? null, version,
      };
      if (existing) await tx.updateTable('service_classes').set(row).where('code', '=', code).execute();
      else {
        const pos = await tx.selectFrom('service_classes').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
        await tx.insertInto('service_classes').values({ code, position: Number(pos?.p ?? -1) + 1, ...row }).execute();
      }
      for (const m of impact.filter((x) => x.overrideDropped)) {
        await tx.updateTable('municipal_services').set({ policy_override: null, updated_at: ctx.now() }).where('municipality', '=', m.municipality).where('service_code', '=', code).execute();
      }
      await tx.insertInto('catalogue_versions').values({ version, created_by: staff.key, note: input.note ?? null, snapshot: JSON.stringify({ ...previous, services }) }).execute();
    }
    const saved = !dryRun && (diff.added.length > 0 || diff.changed.length > 0);
    return { code, saved, version: saved ? version : (last?.version ?? 0), diff, impact };
  };
  return ctx.db.transaction().execute((tx) => run(tx));
}

// ---- a municipality's own services: adopt a common class, local name, links, contact ----------

export interface LocalDetailsInput {
  localName?: Text3 | null;
  links?: { url: string; title?: Partial<Text3> }[];
  contact?: { phone?: string; email?: string; address?: string; hours?: string } | null;
}

/** Adopts a common class into the municipality (if not offered yet) and sets its local details. */
export async function saveMunicipalService(ctx: Context, staff: Staff, code: string, serviceCode: string, input: LocalDetailsInput) {
  requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  const cls = await ctx.db.selectFrom('service_classes').select('code').where('code', '=', serviceCode).executeTakeFirst();
  if (!cls) throw refuse('catalogue.unknown-class', { service: serviceCode }, 'serviceCode');
  if (input.localName) for (const l of ['fi', 'sv', 'en'] as const) if (!input.localName[l]?.trim()) throw refuse('catalogue.local-name-incomplete', { field: `localName.${l}` }, `localName.${l}`);
  for (const [i, link] of (input.links ?? []).entries()) {
    let u: URL | undefined;
    try { u = new URL(link.url); } catch { /* below */ }
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) throw refuse('catalogue.link-not-http', { field: `links.${i}.url` }, `links.${i}.url`);
  }
  if (input.contact?.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.contact.email)) throw refuse('catalogue.email-invalid', { field: 'contact.email' }, 'contact.email');
  const details = {
    ...(input.localName !== undefined ? { local_name: input.localName ? JSON.stringify(input.localName) : null } : {}),
    ...(input.links !== undefined ? { links: JSON.stringify(input.links) } : {}),
    ...(input.contact !== undefined ? { contact: input.contact ? JSON.stringify(input.contact) : null } : {}),
  };
  await ctx.db.insertInto('municipal_services')
    .values({ municipality: code, service_code: serviceCode, links: '[]', ...details })
    .onConflict((oc) => oc.columns(['municipality', 'service_code']).doUpdateSet({ ...details, updated_at: ctx.now() }))
    .execute();
  return getMunicipalService(ctx, code, serviceCode);
}

/** The municipality stops offering a service (its PTV link, if any, goes with it). */
export async function removeMunicipalService(ctx: Context, staff: Staff, code: string, serviceCode: string) {
  requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('municipal_services').where('municipality', '=', code).where('service_code', '=', serviceCode).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
    await tx.updateTable('ptv_services').set({ linked_service: null }).where('municipality', '=', code).where('linked_service', '=', serviceCode).execute();
  });
}

// ---- issues and bundles, kept by the umbrella organisation --------------------------------------

async function newVersion(tx: Db, ctx: Context, staff: Staff, note: string | undefined, change: (s: Snapshot) => Snapshot) {
  const last = await tx.selectFrom('catalogue_versions').select(['version', 'snapshot']).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
  const previous = (last?.snapshot as Snapshot | undefined) ?? { services: [], issues: ctx.catalogue.issues as unknown as CodedItem[], bundles: ctx.catalogue.bundles as unknown as CodedItem[] };
  const next = change(previous);
  const version = (last?.version ?? 0) + 1;
  const diff = { issues: diffCoded(previous.issues, next.issues), bundles: diffCoded(previous.bundles, next.bundles) };
  const changed = [diff.issues, diff.bundles].some((d) => d.added.length || d.changed.length || d.removed.length);
  if (changed) await tx.insertInto('catalogue_versions').values({ version, created_by: staff.key, note: note ?? null, snapshot: JSON.stringify(next) }).execute();
  return { saved: changed, version: changed ? version : (last?.version ?? 0), diff };
}


function assertName3(name: Text3, field = 'name') {
  for (const l of ['fi', 'sv', 'en'] as const) if (!name[l]?.trim()) throw refuse('catalogue.name-required', { field: `${field}.${l}` }, `${field}.${l}`);
}

/** Creates or renames a mandate issue; a new catalogue version. Issues are never deleted (mandates name them). */
export async function saveIssue(ctx: Context, staff: Staff, code: string, input: { name: Text3; note?: string }) {
  assertAllowed('issue.edit', staff, undefined);
  if (!isCatalogueCode(code)) throw refuse('catalogue.invalid-code', {}, 'code');
  assertName3(input.name);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const exists = await tx.selectFrom('issues').select('position').where('code', '=', code).forUpdate().executeTakeFirst();
    if (exists) await tx.updateTable('issues').set({ name: JSON.stringify(input.name) }).where('code', '=', code).execute();
    else {
      const pos = await tx.selectFrom('issues').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
      await tx.insertInto('issues').values({ code, name: JSON.stringify(input.name), position: Number(pos?.p ?? -1) + 1 }).execute();
    }
    const item = { code, name: input.name };
    return newVersion(tx, ctx, staff, input.note, (s) => ({
      ...s, issues: s.issues.some((i) => i.code === code) ? s.issues.map((i) => (i.code === code ? item : i)) : [...s.issues, item],
    }));
  });
  await reloadCatalogue(ctx);
  return { code, ...result };
}

/** Creates or changes a situation bundle; a new catalogue version. */
export async function saveBundle(ctx: Context, staff: Staff, code: string, input: { name: Text3; issues: string[]; note?: string }) {
  assertAllowed('bundle.edit', staff, undefined);
  if (!isCatalogueCode(code)) throw refuse('catalogue.invalid-code', {}, 'code');
  assertName3(input.name);
  if (input.issues.length === 0) throw refuse('catalogue.bundle-without-issues', {}, 'issues');
  for (const [i, issue] of input.issues.entries()) if (!ctx.catalogue.issueCodes.has(issue)) throw refuse('catalogue.unknown-issue', { issue }, `issues/${i}`);
  const issues = [...new Set(input.issues)];
  const result = await ctx.db.transaction().execute(async (tx) => {
    const exists = await tx.selectFrom('bundles').select('position').where('code', '=', code).forUpdate().executeTakeFirst();
    if (exists) await tx.updateTable('bundles').set({ name: JSON.stringify(input.name), issues }).where('code', '=', code).execute();
    else {
      const pos = await tx.selectFrom('bundles').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
      await tx.insertInto('bundles').values({ code, name: JSON.stringify(input.name), issues, position: Number(pos?.p ?? -1) + 1 }).execute();
    }
    const item = { code, name: input.name, issues };
    return newVersion(tx, ctx, staff, input.note, (s) => ({
      ...s, bundles: s.bundles.some((b) => b.code === code) ? s.bundles.map((b) => (b.code === code ? item : b)) : [...s.bundles, item],
    }));
  });
  await reloadCatalogue(ctx);
  return { code, ...result };
}

/** Issues, bundles and municipalities are held in memory; refreshed in place (every holder sees it). */
export async function reloadCatalogue(ctx: Context): Promise<void> {
  Object.assign(ctx.catalogue, await loadCatalogue(ctx.db));
}
