import { createHash } from 'node:crypto';
import { asMunicipalityCode, parsePolicy, refuse, type Policy } from '@puolesta/domain';
import type { Context } from './context.js';
import type { StaffActor as Staff } from '@puolesta/domain';
import type { Name3, PtvClassRef } from '../db/schema.js';
import { createPtvClient, type PtvClient, type PtvPage } from '../adapters/ptv-client.js';
import { assertCatalogueAdmin, catalogueVersion, listMunicipalServices, staffActor } from './catalogue.service.js';
import { inUnitOfWork } from './unit-of-work.js';
import {
  clearPtvIdElsewhere, insertMunicipalServiceFromPtv, municipalPolicies, serviceClassCodes, serviceClassExists, setMunicipalServicePtvId,
} from '../repositories/catalogue.repository.js';
import {
  insertPtvService, lockPtvService, lockPtvServices, setPtvLinkedService, unlinkedPtvServices, unlinkOtherPtvServicesOf, updatePtvService,
} from '../repositories/ptv.repository.js';

const LANGS = ['fi', 'sv', 'en'] as const;
const SERVICE_TYPES = ['Service', 'PermitOrObligation', 'ProfessionalQualification'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A suggestion needs at least this score; below it the service is reported as unclassified. */
export const SUGGESTION_THRESHOLD = 0.4;

/** A PTV service after validation: what we keep of it. */
export interface PtvService {
  id: string;
  type: string | null;
  names: Partial<Name3>;
  descriptions: Partial<Name3>;
  classes: PtvClassRef[];
  modified: string | null;
  raw: unknown;
  hash: string;
}

export interface ImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  suggestions: { ptvId: string; service: string; score: number }[];
  unclassified: { ptvId: string; name: string }[];
}

// ---------------------------------------------------------------- validation

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown, max = 10_000): x is string => typeof x === 'string' && x.trim().length > 0 && x.length <= max;
/** PTV carries fi/sv/en and also Sámi and other languages: those are accepted and not kept. */
const isLang = (x: unknown): x is string => typeof x === 'string' && /^[a-z]{2,3}$/.test(x);
const kept = (lang: string): lang is (typeof LANGS)[number] => (LANGS as readonly string[]).includes(lang);

/** A refusal about a record's field: `record` is its place in the input, `field` the path inside it. */
const bad = (code: Parameters<typeof refuse>[0], record: string, field: string, params: Record<string, number> = {}) =>
  refuse(code, { record, field, ...params }, `${record}.${field}`);

function languageValues(list: unknown, record: string, field: string, opts: { typed: boolean; required: boolean; max: number }): { type?: string; language: string; value: string }[] {
  if (list === undefined || list === null) {
    if (opts.required) throw bad('ptv.record-field-required', record, field);
    return [];
  }
  if (!Array.isArray(list)) throw bad('ptv.record-field-not-list', record, field);
  return list.map((x, i) => {
    const f = `${field}.${i}`;
    if (!isObj(x)) throw bad('ptv.record-field-not-object', record, f);
    if (!isLang(x.language)) throw bad('ptv.record-language-invalid', record, `${f}.language`);
    if (!isText(x.value, opts.max)) throw bad('ptv.record-text-invalid', record, `${f}.value`, { max: opts.max });
    if (opts.typed && !isText(x.type, 100)) throw bad('ptv.record-field-required', record, `${f}.type`);
    return { ...(opts.typed ? { type: x.type as string } : {}), language: x.language, value: x.value };
  });
}

const byLang = (values: { language: string; value: string }[]): Partial<Name3> => {
  const out: Partial<Name3> = {};
  for (const v of values) if (kept(v.language) && out[v.language] === undefined) out[v.language] = v.value.trim();
  return out;
};

/** Checks one PTV v11 service; `at` is its place in the input (e.g. `itemList.3`). */
export function parsePtvService(item: unknown, at: string): PtvService {
  if (!isObj(item)) throw refuse('ptv.record-not-object', { record: at }, at);
  if (typeof item.id !== 'string' || !UUID.test(item.id)) throw refuse('ptv.record-id-invalid', { record: at }, `${at}.id`);
  if (item.type !== undefined && item.type !== null && !SERVICE_TYPES.includes(item.type as string)) {
    throw refuse('ptv.record-type-invalid', { record: at }, `${at}.type`);
  }
  const names = languageValues(item.serviceNames, at, 'serviceNames', { typed: true, required: true, max: 500 });
  for (const [i, n] of names.entries()) {
    if (n.type !== 'Name' && n.type !== 'AlternativeName') throw bad('ptv.record-name-type-invalid', at, `serviceNames.${i}.type`);
  }
  const main = names.filter((n) => n.type === 'Name' && kept(n.language));
  if (main.length === 0) throw refuse('ptv.record-name-missing', { record: at }, `${at}.serviceNames`);
  const descriptions = languageValues(item.serviceDescriptions, at, 'serviceDescriptions', { typed: true, required: false, max: 20_000 });
  if (item.serviceClasses !== undefined && item.serviceClasses !== null && !Array.isArray(item.serviceClasses)) {
    throw bad('ptv.record-field-not-list', at, 'serviceClasses');
  }
  const classes = ((item.serviceClasses as unknown[] | undefined) ?? []).map((c, i): PtvClassRef => {
    const f = `serviceClasses.${i}`;
    if (!isObj(c)) throw bad('ptv.record-field-not-object', at, f);
    if (!isText(c.uri, 1000)) throw bad('ptv.record-field-required', at, `${f}.uri`);
    if (c.code !== undefined && c.code !== null && !isText(c.code, 100)) throw bad('ptv.record-text-invalid', at, `${f}.code`, { max: 100 });
    return { uri: c.uri, code: (c.code as string | undefined) ?? null, name: byLang(languageValues(c.name, at, `${f}.name`, { typed: false, required: false, max: 500 })) };
  });
  let modified: string | null = null;
  if (item.modified !== undefined && item.modified !== null) {
    if (typeof item.modified !== 'string' || Number.isNaN(Date.parse(item.modified))) throw refuse('ptv.record-modified-invalid', { record: at }, `${at}.modified`);
    modified = item.modified;
  }
  // Descriptions by language: the summary first, then the description.
  const order = (t?: string) => (t === 'Summary' ? 0 : t === 'Description' ? 1 : 2);
  const descs = [...descriptions].sort((a, b) => order(a.type) - order(b.type));
  return {
    id: item.id.toLowerCase(),
    type: (item.type as string | undefined) ?? null,
    names: { ...byLang(names.filter((n) => n.type === 'AlternativeName')), ...byLang(main) },
    descriptions: byLang(descs),
    classes,
    modified,
    raw: item,
    hash: createHash('sha256').update(JSON.stringify(item)).digest('hex'),
  };
}

/** Checks a posted list page: `{ pageNumber, pageSize, pageCount, itemList }`. */
function parsePage(body: Record<string, unknown>, prefix: string): unknown[] {
  for (const k of ['pageNumber', 'pageSize', 'pageCount'] as const) {
    const v = body[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) throw refuse('ptv.page-number-invalid', { field: `${prefix}${k}` }, `${prefix}${k}`);
  }
  if (!Array.isArray(body.itemList)) throw refuse('ptv.page-items-missing', {}, `${prefix}itemList`);
  return body.itemList;
}

// ---------------------------------------------------------------- matching

/**
 * Word stems of each common class in Finnish, Swedish and English: from the class names, the
 * names of the issues it accepts, and the words PTV uses for such services. Matched as substrings
 * of lower-cased text, so inflected Finnish forms match their stem.
 */
export const CLASS_STEMS: Record<string, string[]> = {
  'ece-application': ['varhaiskasvatu', 'päiväkoti', 'päiväkodi', 'perhepäivähoi', 'småbarnspedagogik', 'daghem', 'dagvård', 'early childhood', 'daycare', 'day care', 'kindergarten'],
  'school-transfer': ['koulunvaih', 'koulupaik', 'oppilaaksiott', 'perusopetu', 'skolbyte', 'byte av skola', 'skolplats', 'grundläggande utbildning', 'school transfer', 'school place', 'basic education'],
  // Shares the ECE stem: a name with both ECE and income words scores higher here than in ece-application.
  'ece-income': ['varhaiskasvatu', 'varhaiskasvatusmaks', 'tuloselvity', 'asiakasmaks', 'inkomstutredning', 'avgift för småbarnspedagogik', 'income statement', 'ece fee', 'early childhood education fee'],
  'building-permit': ['rakennuslup', 'rakennusvalvon', 'bygglov', 'byggnadstillsyn', 'building permit', 'building control'],
  'demolition-notice': ['purkamis', 'purkulup', 'rivning', 'demolition'],
  'waste-interval': ['jäteastia', 'tyhjennysväli', 'jätehuol', 'sophämtning', 'tömningsintervall', 'avfallshantering', 'waste collection', 'emptying interval'],
  'water-connection': ['vesihuoltoliit', 'vesijohtoliit', 'liittymissopimu', 'vesihuol', 'vattentjänst', 'vattenanslutning', 'water connection', 'water supply', 'water services'],
  'resident-parking': ['asukaspysäköin', 'pysäköintitunnu', 'boendeparkering', 'parkeringstillstånd', 'resident parking', 'parking permit'],
  'street-use-permit': ['katualue', 'kaivulup', 'katulup', 'gatuområde', 'grävningstillstånd', 'street area', 'street use', 'excavation permit'],
  'housing-application': ['vuokra-asun', 'vuokra-asunto', 'asuntohakemu', 'asumis', 'hyresbostad', 'bostadsansökan', 'rental housing', 'housing application', 'rental flat', 'rental apartment'],
  'association-grant': ['toiminta-avustu', 'yhdistysavustu', 'yhdistykse', 'verksamhetsbidrag', 'föreningsbidrag', 'operating grant', 'association grant', 'grant for associations'],
  'facility-booking': ['liikuntatil', 'vakiovuor', 'tilavarau', 'liikuntapaik', 'idrottslokal', 'fast tur', 'lokalbokning', 'sports facilit', 'facility booking', 'regular booking'],
  'employment-plan': ['työllistymissuunnitelm', 'työllisyyspalvelu', 'työllistymi', 'sysselsättningsplan', 'sysselsättningstjänst', 'employment plan', 'employment service'],
  feedback: ['palaute', 'neuvontapyyn', 'neuvonta', 'respons', 'rådfrågning', 'feedback', 'advice request'],
};

const lower = (t: Partial<Name3>) => Object.values(t).join(' \n ').toLowerCase();
const hits = (text: string, stems: string[]) => stems.filter((s) => text.includes(s)).length;

/**
 * The best common class for a PTV service and a score 0..1: each distinct stem found in a name
 * counts 0.4, in a PTV service class name 0.25, in a description 0.15. Ties go to the class that
 * comes first in the catalogue. Deterministic: same input, same answer.
 */
export function suggestClass(s: Pick<PtvService, 'names' | 'descriptions' | 'classes'>, classCodes: string[]): { service: string; score: number } | null {
  const names = lower(s.names);
  const descriptions = lower(s.descriptions);
  const classes = s.classes.map((c) => lower(c.name)).join(' \n ');
  let best: { service: string; score: number } | null = null;
  for (const code of classCodes) {
    // Own keys only: a class named like an Object built-in (`constructor`) has no stems.
    const stems = Object.hasOwn(CLASS_STEMS, code) ? CLASS_STEMS[code] : undefined;
    if (!stems) continue;
    const raw = 0.4 * hits(names, stems) + 0.25 * hits(classes, stems) + 0.15 * hits(descriptions, stems);
    const score = Math.round(Math.min(1, raw) * 100) / 100;
    if (score > 0 && (!best || score > best.score)) best = { service: code, score };
  }
  return best;
}

const displayName = (n: Partial<Name3>) => n.fi ?? n.sv ?? n.en ?? '';

// ---------------------------------------------------------------- use cases

function requireMunicipality(ctx: Context, code: string) {
  if (!ctx.catalogue.municipalities.has(code)) throw refuse('catalogue.unknown-municipality', { municipality: code });
}

/** 404 for an unknown municipality first, then 403 for anyone but its admin or the umbrella admin. */
export function assertPtvAdmin(ctx: Context, staff: Staff, code: string) {
  requireMunicipality(ctx, code);
  assertCatalogueAdmin(staff, code);
}

export type ImportBody = { source: string } | { pageNumber?: number; pageSize?: number; pageCount?: number; itemList: unknown[] };

/**
 * Imports PTV services of a municipality, all or nothing: every record is checked before anything
 * is written, and the writes run in one transaction. A record already stored with the same content
 * is `unchanged`; with other content it is `updated` (its confirmed link is kept).
 */
export async function importPtv(ctx: Context, staff: Staff, code: string, body: Record<string, unknown>, client?: (base: string) => PtvClient): Promise<ImportResult> {
  assertPtvAdmin(ctx, staff, code);
  const items: { item: unknown; at: string }[] = [];
  if (body.source !== undefined) {
    if (body.itemList !== undefined) throw refuse('ptv.source-and-items', {}, 'source');
    if (typeof body.source !== 'string') throw refuse('ptv.source-not-url', {}, 'source');
    if (!ctx.outbound.allows(body.source)) throw refuse('ptv.fetch-not-allowed', {}, 'source');
    const pages: PtvPage[] = await (client ?? ((base: string) => createPtvClient(base, { fetch: ctx.outbound })))(body.source).servicesOfMunicipality(code);
    pages.forEach((p, n) => p.itemList.forEach((item, i) => items.push({ item, at: `pages.${n}.itemList.${i}` })));
  } else {
    parsePage(body, '').forEach((item, i) => items.push({ item, at: `itemList.${i}` }));
  }

  const services: PtvService[] = [];
  const seen = new Set<string>();
  for (const { item, at } of items) {
    const s = parsePtvService(item, at);
    if (seen.has(s.id)) throw refuse('ptv.record-duplicate', { record: at, ptvId: s.id }, `${at}.id`);
    seen.add(s.id);
    services.push(s);
  }

  const classCodes = await serviceClassCodes(ctx.db);
  const result: ImportResult = { imported: 0, updated: 0, unchanged: 0, suggestions: [], unclassified: [] };
  await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    const existing = await lockPtvServices(u.db, code, services.map((s) => s.id));
    const now = ctx.now();
    for (const s of services) {
      const match = suggestClass(s, classCodes);
      const suggested = match && match.score >= SUGGESTION_THRESHOLD ? match : null;
      const values = { ...s, suggestedService: suggested?.service ?? null, score: match?.score ?? 0 };
      const old = existing.get(s.id);
      if (!old) {
        await insertPtvService(u.db, code, s.id, values, now);
        result.imported++;
      } else if (old.raw_hash !== s.hash) {
        await updatePtvService(u.db, code, s.id, values, now);
        result.updated++;
      } else {
        result.unchanged++;
      }
      if (suggested) result.suggestions.push({ ptvId: s.id, service: suggested.service, score: suggested.score });
      else result.unclassified.push({ ptvId: s.id, name: displayName(s.names) });
    }
    u.emit({ type: 'ptv.imported', municipality: asMunicipalityCode(code), created: result.imported, updated: result.updated, unchanged: result.unchanged });
  });
  return result;
}

/** Confirms that a PTV service is a municipal service of that class: the municipal service (added when missing) then carries the PTV id. */
export async function linkPtv(ctx: Context, staff: Staff, code: string, body: { ptvId: string; service: string }) {
  assertPtvAdmin(ctx, staff, code);
  if (!UUID.test(body.ptvId)) throw refuse('ptv.id-invalid', {}, 'ptvId');
  const ptvId = body.ptvId.toLowerCase();
  let created = false;
  await inUnitOfWork(ctx, staffActor(staff), async (u) => {
    const ptv = await lockPtvService(u.db, code, ptvId);
    if (!ptv) throw refuse('ptv.not-imported', { municipality: code, ptvId }, 'ptvId');
    if (!(await serviceClassExists(u.db, body.service))) throw refuse('ptv.unknown-class', { service: body.service }, 'service');
    const now = ctx.now();
    // One PTV record describes one municipal service: a link made earlier to another class moves.
    await clearPtvIdElsewhere(u.db, code, ptvId, body.service, now);
    if (!(await setMunicipalServicePtvId(u.db, code, body.service, ptvId, now))) {
      await insertMunicipalServiceFromPtv(u.db, code, body.service, ptvId, now);
      created = true;
    }
    // The record linked to that service before is no longer its PTV record: back among the unclassified (not lost from the counts).
    await unlinkOtherPtvServicesOf(u.db, code, body.service, ptvId, now);
    await setPtvLinkedService(u.db, code, ptvId, body.service, now);
    u.emit({ type: 'ptv.linked', municipality: asMunicipalityCode(code), ptvId, service: body.service });
  });
  return { municipality: code, ptvId, service: body.service, created };
}

/**
 * The imported PTV services still waiting to be confirmed, as the import left them: those with a
 * suggested class, and the rest. Kept on the server, so they can be confirmed after a reload.
 */
export async function pendingPtv(ctx: Context, staff: Staff, code: string): Promise<Pick<ImportResult, 'unclassified'> & { suggestions: (ImportResult['suggestions'][number] & { name: string })[] }> {
  assertPtvAdmin(ctx, staff, code);
  const rows = await unlinkedPtvServices(ctx.db, code);
  const out: Awaited<ReturnType<typeof pendingPtv>> = { suggestions: [], unclassified: [] };
  for (const r of rows) {
    const name = displayName(r.names as Partial<Name3>);
    const ptvId = String(r.ptv_id);
    if (r.suggested_service) out.suggestions.push({ ptvId, name, service: r.suggested_service, score: Number(r.score) });
    else out.unclassified.push({ ptvId, name });
  }
  return out;
}

const policyOf = (p: unknown): Policy => parsePolicy(p as { kind: string; alternative?: string });

/** What the municipality's catalogue covers: its services, PTV services still unclassified, and where it differs from the common catalogue. */
export async function coverage(ctx: Context, staff: Staff, code: string) {
  assertPtvAdmin(ctx, staff, code);
  const municipal = await municipalPolicies(ctx.db, code);
  const unlinked = await unlinkedPtvServices(ctx.db, code);
  return {
    municipality: code,
    services: municipal.length + unlinked.length,
    classified: municipal.length,
    unclassified: unlinked.map((r) => ({
      ptvId: String(r.ptv_id), name: displayName(r.names as Partial<Name3>),
      ...(r.suggested_service ? { suggestion: { service: r.suggested_service, score: Number(r.score) } } : {}),
    })),
    differences: municipal.filter((r) => r.policy_override !== null)
      .map((r) => ({ service: r.service_code, common: policyOf(r.policy), local: policyOf(r.policy_override) })),
  };
}

/** Each PTV-linked municipal service's on-behalf requirement, to be stored alongside its PTV record. */
export async function exportPtv(ctx: Context, staff: Staff, code: string) {
  assertPtvAdmin(ctx, staff, code);
  const services = await listMunicipalServices(ctx, code);
  return {
    municipality: code,
    catalogueVersion: await catalogueVersion(ctx),
    items: services.filter((s) => s.ptvId).map((s) => ({
      ptvId: s.ptvId!,
      service: s.code,
      requirement: {
        policy: s.policy, issues: s.issues, parties: s.parties, subject: s.subject,
        ...(s.recommendedMandate ? { recommendedMandate: s.recommendedMandate } : {}),
        guidance: s.guidance,
      },
    })),
  };
}
