import {
  assertNotLooser, forbidden, guidance, notFound, parsePolicy, type Parties, type Policy, type Text3,
} from '@puolesta/domain';
import type { Context } from './context.js';
import type { Staff } from '../http/auth.js';

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
  if (!m) throw notFound(`No municipality ${code}.`);
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
  if (!r) throw notFound(`Municipality ${code} has no service ${serviceCode}.`);
  return municipalView(ctx, code, r, await catalogueVersion(ctx));
}

/** May this staff member administer this municipality's catalogue? Its own admin, or the umbrella admin. */
export function assertCatalogueAdmin(staff: Staff, code: string): void {
  if (staff.roles.includes('umbrella-admin')) return;
  if (staff.roles.includes('municipality-admin') && staff.municipality === code) return;
  throw forbidden(`Only municipality ${code}'s administrator can change its services.`);
}

/** Sets a municipality's policy for a service: as strict as the common one or stricter, never looser. */
export async function setMunicipalPolicy(ctx: Context, staff: Staff, code: string, serviceCode: string, raw: { kind: string; alternative?: string }) {
  requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
  const policy = parsePolicy(raw);
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('municipal_services').innerJoin('service_classes', 'service_classes.code', 'municipal_services.service_code')
      .select(['service_classes.policy']).where('municipality', '=', code).where('service_code', '=', serviceCode).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`Municipality ${code} has no service ${serviceCode}.`);
    const common = toPolicy(row.policy);
    assertNotLooser(policy, common);
    const same = JSON.stringify(policy) === JSON.stringify(common);
    await tx.updateTable('municipal_services').set({ policy_override: same ? null : JSON.stringify(policy), updated_at: ctx.now() })
      .where('municipality', '=', code).where('service_code', '=', serviceCode).execute();
  });
  return getMunicipalService(ctx, code, serviceCode);
}
