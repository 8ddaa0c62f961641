import type { Db } from '../db/database.js';
import type { Name3, PtvClassRef } from '../db/schema.js';

/** What is stored of one PTV service (its municipality and id aside). */
export interface PtvServiceValues {
  type: string | null;
  names: Partial<Name3>;
  descriptions: Partial<Name3>;
  classes: PtvClassRef[];
  raw: unknown;
  hash: string;
  modified: string | null;
  suggestedService: string | null;
  score: number;
}

const columns = (v: PtvServiceValues, at: Date) => ({
  type: v.type, names: JSON.stringify(v.names), descriptions: JSON.stringify(v.descriptions), service_classes: JSON.stringify(v.classes),
  raw: JSON.stringify(v.raw), raw_hash: v.hash, modified: v.modified,
  suggested_service: v.suggestedService, score: v.score, updated_at: at,
});

/** The stored content hash and link of those of `ptvIds` already imported for the municipality (ids lower-cased), locked until the transaction ends. */
export async function lockPtvServices(tx: Db, municipality: string, ptvIds: readonly string[]): Promise<Map<string, { raw_hash: string; linked_service: string | null }>> {
  const existing = new Map<string, { raw_hash: string; linked_service: string | null }>();
  for (let i = 0; i < ptvIds.length; i += 500) {
    const ids = ptvIds.slice(i, i + 500);
    const rows = await tx.selectFrom('ptv_services').select(['ptv_id', 'raw_hash', 'linked_service'])
      .where('municipality', '=', municipality).where('ptv_id', 'in', ids).forUpdate().execute();
    for (const r of rows) existing.set(String(r.ptv_id).toLowerCase(), r);
  }
  return existing;
}

export async function insertPtvService(tx: Db, municipality: string, ptvId: string, v: PtvServiceValues, at: Date): Promise<void> {
  await tx.insertInto('ptv_services').values({ municipality, ptv_id: ptvId, ...columns(v, at), imported_at: at }).execute();
}

/** Replaces a stored PTV service's content; its confirmed link is kept. */
export async function updatePtvService(tx: Db, municipality: string, ptvId: string, v: PtvServiceValues, at: Date): Promise<void> {
  await tx.updateTable('ptv_services').set(columns(v, at)).where('municipality', '=', municipality).where('ptv_id', '=', ptvId).execute();
}

/** An imported PTV service, locked until the transaction ends. */
export async function lockPtvService(tx: Db, municipality: string, ptvId: string) {
  return tx.selectFrom('ptv_services').select(['ptv_id', 'linked_service']).where('municipality', '=', municipality).where('ptv_id', '=', ptvId).forUpdate().executeTakeFirst();
}

export async function setPtvLinkedService(tx: Db, municipality: string, ptvId: string, serviceCode: string, at: Date): Promise<void> {
  await tx.updateTable('ptv_services').set({ linked_service: serviceCode, updated_at: at }).where('municipality', '=', municipality).where('ptv_id', '=', ptvId).execute();
}

/** Unlinks the other PTV services linked to a municipal service: one PTV record describes one municipal service, and it carries one PTV id. */
export async function unlinkOtherPtvServicesOf(tx: Db, municipality: string, serviceCode: string, keepPtvId: string, at: Date): Promise<void> {
  await tx.updateTable('ptv_services').set({ linked_service: null, updated_at: at })
    .where('municipality', '=', municipality).where('linked_service', '=', serviceCode).where('ptv_id', '!=', keepPtvId).execute();
}

/** Unlinks the PTV services linked to a municipal service (when the municipality stops offering it). */
export async function unlinkPtvServicesOf(tx: Db, municipality: string, serviceCode: string): Promise<void> {
  await tx.updateTable('ptv_services').set({ linked_service: null }).where('municipality', '=', municipality).where('linked_service', '=', serviceCode).execute();
}

/** The municipality's imported PTV services not linked to any municipal service, oldest import first. */
export async function unlinkedPtvServices(db: Db, municipality: string) {
  return db.selectFrom('ptv_services').select(['ptv_id', 'names', 'suggested_service', 'score'])
    .where('municipality', '=', municipality).where('linked_service', 'is', null).orderBy('imported_at').orderBy('ptv_id').execute();
}
