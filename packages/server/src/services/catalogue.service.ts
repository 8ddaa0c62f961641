import {
  assertNotLooser, canonicalJson, diffCoded, guidance, parsePolicy, refuse, strictness,
  type CodedItem, type Parties, type Policy, type Text3,
} from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { loadCatalogue, type Context } from './context.js';
import { asMunicipalityCode, type StaffActor as Staff } from '@puolesta/domain';
import { assertAllowed } from './access.js';
import type { AuditActor } from '../repositories/audit.repository.js';
import {
  catalogueSnapshots, catalogueVersionRows, deleteMunicipalService, insertCatalogueVersion, insertServiceClass, latestCatalogueVersion,
  lockLatestCatalogueVersion, lockMunicipalServiceCommonPolicy, lockServiceClass, municipalServiceRows, overridesOfClass, saveBundleRow,
  saveIssueRow, serviceClassExists, serviceClassRows, setPolicyOverride, updateServiceClass, upsertMunicipalService,
  type MunicipalServiceRow, type ServiceClassRow,
} from '../repositories/catalogue.repository.js';
import { unlinkPtvServicesOf } from '../repositories/ptv.repository.js';
import { inUnitOfWork } from './unit-of-work.js';

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

/** The audit log's and domain events' actor for a staff member's command. */
export const staffActor = (staff: Staff): AuditActor => ({ kind: 'staff', key: staff.key, municipality: staff.municipality });

const toPolicy = (p: { kind: string; alternative?: string }): Policy => parsePolicy(p);

function classView(r: ServiceClassRow): ServiceClassView {
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
  return latestCatalogueVersion(ctx.db);
}

export async function listServiceClasses(ctx: Context): Promise<{ version: number; services: ServiceClassView[] }> {
  return { version: await catalogueVersion(ctx), services: (await serviceClassRows(ctx.db)).map(classView) };
}

function requireMunicipality(ctx: Context, code: string) {
  const m = ctx.catalogue.municipalities.get(code);
  if (!m) throw refuse('catalogue.unknown-municipality', { municipality: code });
  return m;
}

function municipalView(ctx: Context, code: string, r: MunicipalServiceRow, version: number): MunicipalServiceView {
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
  return (await municipalServiceRows(ctx.db, code)).map((r) => municipalView(ctx, code, r, version));
}

export async function getMunicipalService(ctx: Context, code: string, serviceCode: string): Promise<MunicipalServiceView> {
  requireMunicipality(ctx, code);
  const [r] = await municipalServiceRows(ctx.db, code, serviceCode);
  if (!r) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
  return municipalView(ctx, code, r, await catalogueVersion(ctx));
}

/** May this staff member administer this municipality's catalogue? Its own admin, or the umbrella admin. */
export function assertCatalogueAdmin(staff: Staff, code: string): void {
  assertAllowed('municipal-service.edit', staff, { municipality: asMunicipalityCode(code) });
}

/** Sets a municipality's policy for a service: as strict as the common one or stricter, never looser. */
export async function setMunicipalPolicy(ctx: Context, staff: Staff, code: string, serviceCode: string, raw: { kind: string; alternative?: string }) {
  const m = requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  const policy = parsePolicy(raw);
  await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    const row = await lockMunicipalServiceCommonPolicy(u.db, code, serviceCode);
    if (!row) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
    const common = toPolicy(row.policy);
    assertNotLooser(policy, common);
    const same = JSON.stringify(policy) === JSON.stringify(common);
    await setPolicyOverride(u.db, code, serviceCode, same ? null : policy, ctx.now());
    u.emit({ type: 'municipal-policy.set', municipality: asMunicipalityCode(m.code), service: serviceCode, policy });
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
  const rows = await catalogueVersionRows(ctx.db);
  return rows.map((r) => ({ version: r.version, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by, note: r.note }));
}

type Snapshot = { services: CodedItem[]; issues: CodedItem[]; bundles: CodedItem[] };

export async function compareCatalogueVersions(ctx: Context, from: number, to: number) {
  const rows = await catalogueSnapshots(ctx.db, [from, to]);
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
    const existing = await lockServiceClass(tx, code);
    const last = await lockLatestCatalogueVersion(tx);
    const version = (last?.version ?? 0) + 1;
    const item: CodedItem = {
      code, name: input.name, ...(input.description ? { description: input.description } : {}), subject: input.subject, issues: input.issues,
      parties: input.parties, policy, ...(input.recommendedMandate ? { recommendedMandate: input.recommendedMandate } : {}),
    };
    const municipal = await overridesOfClass(tx, code);
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
        name: input.name, description: input.description ?? null, subject: input.subject,
        issues: input.issues, parties: input.parties, policy, recommendedMandate: input.recommendedMandate ?? null, version,
      };
      if (existing) await updateServiceClass(tx, code, row);
      else await insertServiceClass(tx, code, row);
      for (const m of impact.filter((x) => x.overrideDropped)) await setPolicyOverride(tx, m.municipality, code, null, ctx.now());
      await insertCatalogueVersion(tx, { version, createdBy: staff.key, note: input.note ?? null, snapshot: { ...previous, services } });
    }
    const saved = !dryRun && (diff.added.length > 0 || diff.changed.length > 0);
    return { code, saved, version: saved ? version : (last?.version ?? 0), diff, impact };
  };
  // A dry run writes nothing, not even an audit entry: it reads in a transaction of its own.
  if (dryRun) return ctx.db.transaction().execute((tx) => run(tx));
  return inUnitOfWork(ctx, staffActor(staff), async (u) => {
    const result = await run(u.db);
    if (result.saved) u.emit({ type: 'catalogue.class-saved', service: code, version: result.version });
    return result;
  });
}

// ---- a municipality's own services: adopt a common class, local name, links, contact ----------

export interface LocalDetailsInput {
  localName?: Text3 | null;
  links?: { url: string; title?: Partial<Text3> }[];
  contact?: { phone?: string; email?: string; address?: string; hours?: string } | null;
}

/** Adopts a common class into the municipality (if not offered yet) and sets its local details. */
export async function saveMunicipalService(ctx: Context, staff: Staff, code: string, serviceCode: string, input: LocalDetailsInput) {
  const m = requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  if (!(await serviceClassExists(ctx.db, serviceCode))) throw refuse('catalogue.unknown-class', { service: serviceCode }, 'serviceCode');
  if (input.localName) for (const l of ['fi', 'sv', 'en'] as const) if (!input.localName[l]?.trim()) throw refuse('catalogue.local-name-incomplete', { field: `localName.${l}` }, `localName.${l}`);
  for (const [i, link] of (input.links ?? []).entries()) {
    let u: URL | undefined;
    try { u = new URL(link.url); } catch { /* below */ }
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) throw refuse('catalogue.link-not-http', { field: `links.${i}.url` }, `links.${i}.url`);
  }
  if (input.contact?.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.contact.email)) throw refuse('catalogue.email-invalid', { field: 'contact.email' }, 'contact.email');
  await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    await upsertMunicipalService(u.db, code, serviceCode, input, ctx.now());
    u.emit({ type: 'municipal-service.saved', municipality: asMunicipalityCode(m.code), service: serviceCode });
  });
  return getMunicipalService(ctx, code, serviceCode);
}

/** The municipality stops offering a service (its PTV link, if any, goes with it). */
export async function removeMunicipalService(ctx: Context, staff: Staff, code: string, serviceCode: string) {
  const m = requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    if (!(await deleteMunicipalService(u.db, code, serviceCode))) throw refuse('catalogue.unknown-service', { municipality: code, service: serviceCode });
    await unlinkPtvServicesOf(u.db, code, serviceCode);
    u.emit({ type: 'municipal-service.removed', municipality: asMunicipalityCode(m.code), service: serviceCode });
  });
}

// ---- issues and bundles, kept by the umbrella organisation --------------------------------------

async function newVersion(tx: Db, ctx: Context, staff: Staff, note: string | undefined, change: (s: Snapshot) => Snapshot) {
  const last = await lockLatestCatalogueVersion(tx);
  const previous = (last?.snapshot as Snapshot | undefined) ?? { services: [], issues: ctx.catalogue.issues as unknown as CodedItem[], bundles: ctx.catalogue.bundles as unknown as CodedItem[] };
  const next = change(previous);
  const version = (last?.version ?? 0) + 1;
  const diff = { issues: diffCoded(previous.issues, next.issues), bundles: diffCoded(previous.bundles, next.bundles) };
  const changed = [diff.issues, diff.bundles].some((d) => d.added.length || d.changed.length || d.removed.length);
  if (changed) await insertCatalogueVersion(tx, { version, createdBy: staff.key, note: note ?? null, snapshot: next });
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
  const result = await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    await saveIssueRow(u.db, code, input.name);
    const item = { code, name: input.name };
    const r = await newVersion(u.db, ctx, staff, input.note, (s) => ({
      ...s, issues: s.issues.some((i) => i.code === code) ? s.issues.map((i) => (i.code === code ? item : i)) : [...s.issues, item],
    }));
    if (r.saved) u.emit({ type: 'catalogue.issue-saved', issue: code, version: r.version });
    return r;
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
  const result = await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    await saveBundleRow(u.db, code, input.name, issues);
    const item = { code, name: input.name, issues };
    const r = await newVersion(u.db, ctx, staff, input.note, (s) => ({
      ...s, bundles: s.bundles.some((b) => b.code === code) ? s.bundles.map((b) => (b.code === code ? item : b)) : [...s.bundles, item],
    }));
    if (r.saved) u.emit({ type: 'catalogue.bundle-saved', bundle: code, version: r.version });
    return r;
  });
  await reloadCatalogue(ctx);
  return { code, ...result };
}

/** Issues, bundles and municipalities are held in memory; refreshed in place (every holder sees it). */
export async function reloadCatalogue(ctx: Context): Promise<void> {
  Object.assign(ctx.catalogue, await loadCatalogue(ctx.db));
}
