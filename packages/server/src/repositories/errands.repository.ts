import { sql, type Selectable, type Updateable } from 'kysely';
import type { DomainEvent, ErrandStatus, Involvement, LocalDate, PartyRef } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import type { Database, ErrandBasisRow } from '../db/schema.js';

type ErrandRow = Selectable<Database['errands']>;
type PartyRow = Selectable<Database['errand_parties']>;

export interface ErrandRecord {
  readonly id: string;
  readonly ref: string;
  readonly kind: 'errand' | 'party-request';
  readonly municipality: string;
  readonly service: string;
  readonly applicantId: string | null;
  readonly apiClient: string | null;
  readonly subject: { type: string; id: string };
  readonly principal: PartyRef | null;
  readonly basis: ErrandBasisRow | null;
  readonly status: ErrandStatus;
  readonly involvement: Involvement;
  readonly policy: { kind: string; alternative?: string };
  readonly data: Record<string, unknown>;
  readonly document: Record<string, unknown> | null;
  readonly version: number;
  readonly hash: string;
  readonly attested: boolean;
  readonly mandateRequestId: string | null;
  readonly deadline: LocalDate | null;
  readonly remindedOn: LocalDate | null;
  readonly informationRequest: ErrandRow['information_request'];
  readonly decision: ErrandRow['decision'];
  readonly language: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly submittedAt: Date | null;
  readonly decidedAt: Date | null;
}

export interface ErrandPartyRecord {
  readonly position: number;
  readonly ref: PartyRef;
  readonly source: 'register' | 'entered' | 'subject';
  readonly represented: boolean;
  readonly basis: ErrandBasisRow | null;
  readonly contact: { email?: string; phone?: string } | null;
  readonly declinedBy: string | null;
  readonly declineReason: string | null;
  readonly declinedAt: Date | null;
}

export interface ErrandAnswerRecord { readonly position: number; readonly personId: string; readonly answer: 'sign' | 'confirm'; readonly version: number; readonly hash: string; readonly at: Date }

const dateOf = (v: unknown): LocalDate | null => (v === null || v === undefined ? null : (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10)) as LocalDate);

function toErrand(r: ErrandRow): ErrandRecord {
  return {
    id: r.id, ref: r.ref, kind: r.kind, municipality: r.municipality, service: r.service, applicantId: r.applicant_id, apiClient: r.api_client,
    subject: r.subject, principal: r.principal, basis: r.basis, status: r.status as ErrandStatus, involvement: r.involvement as Involvement,
    policy: r.policy, data: r.data, document: r.document, version: r.version, hash: r.hash, attested: r.attested,
    mandateRequestId: r.mandate_request_id, deadline: dateOf(r.deadline), remindedOn: dateOf(r.reminded_on),
    informationRequest: r.information_request, decision: r.decision, language: r.language,
    createdAt: r.created_at, updatedAt: r.updated_at, submittedAt: r.submitted_at, decidedAt: r.decided_at,
  };
}

const toParty = (r: PartyRow): ErrandPartyRecord => ({
  position: r.position, ref: { type: r.party_type, id: r.party_id }, source: r.source, represented: r.represented, basis: r.basis,
  contact: r.contact, declinedBy: r.declined_by, declineReason: r.decline_reason, declinedAt: r.declined_at,
});

export interface NewErrand {
  id: string; ref: string; kind: 'errand' | 'party-request'; municipality: string; service: string; applicantId: string | null; apiClient: string | null;
  subject: { type: string; id: string }; principal: PartyRef | null; basis: ErrandBasisRow | null; status: ErrandStatus; involvement: Involvement;
  policy: { kind: string; alternative?: string }; data: Record<string, unknown>; document: Record<string, unknown> | null; hash: string;
  deadline: LocalDate | null; language: string; at: Date;
}

export interface NewParty { position: number; ref: PartyRef; source: 'register' | 'entered' | 'subject'; represented: boolean; basis: ErrandBasisRow | null; contact: { email?: string; phone?: string } | null }

export async function insertErrand(tx: Db, e: NewErrand, parties: readonly NewParty[]): Promise<void> {
  await tx.insertInto('errands').values({
    id: e.id, ref: e.ref, kind: e.kind, municipality: e.municipality, service: e.service, applicant_id: e.applicantId, api_client: e.apiClient,
    subject: JSON.stringify(e.subject), principal: JSON.stringify(e.principal), basis: JSON.stringify(e.basis), status: e.status, involvement: e.involvement,
    policy: JSON.stringify(e.policy), data: JSON.stringify(e.data), document: JSON.stringify(e.document), hash: e.hash, deadline: e.deadline,
    language: e.language, created_at: e.at, updated_at: e.at,
  }).execute();
  if (parties.length === 0) return;
  await tx.insertInto('errand_parties').values(parties.map((p) => ({
    errand_id: e.id, position: p.position, party_type: p.ref.type, party_id: p.ref.id, source: p.source, represented: p.represented,
    basis: JSON.stringify(p.basis), contact: JSON.stringify(p.contact),
  }))).execute();
}

/** An attachment as the errand lists it (its content is read only for a download). */
export interface ErrandAttachmentRecord { readonly id: string; readonly name: string; readonly contentType: string; readonly size: number; readonly sha256: string; readonly uploadedBy: string; readonly createdAt: Date }

export interface LoadedErrand {
  errand: ErrandRecord;
  parties: ErrandPartyRecord[];
  answers: ErrandAnswerRecord[];
  /** The attachments that are part of the errand (removed ones left out), in the order they were added. */
  attachments: ErrandAttachmentRecord[];
}

const ATTACHMENT_COLUMNS = ['id', 'errand_id', 'name', 'content_type', 'size', 'sha256', 'uploaded_by', 'created_at'] as const;
const toAttachment = (r: Pick<Selectable<Database['errand_attachments']>, (typeof ATTACHMENT_COLUMNS)[number]>): ErrandAttachmentRecord => ({
  id: r.id, name: r.name, contentType: r.content_type, size: r.size, sha256: r.sha256, uploadedBy: r.uploaded_by, createdAt: r.created_at,
});
const liveAttachments = (db: Db, ids: readonly string[]) =>
  db.selectFrom('errand_attachments').select(ATTACHMENT_COLUMNS).where('errand_id', 'in', ids).where('removed_at', 'is', null).orderBy('errand_id').orderBy('seq').execute();

/** An errand with its parties and its answers on the current version (voided ones left out); the row locked when asked. */
export async function findErrand(db: Db, id: string, lock = false): Promise<LoadedErrand | undefined> {
  let q = db.selectFrom('errands').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  const [parties, answers, attachments] = await Promise.all([
    db.selectFrom('errand_parties').selectAll().where('errand_id', '=', id).orderBy('position').execute(),
    db.selectFrom('errand_answers').select(['position', 'person_id', 'answer', 'version', 'hash', 'at']).where('errand_id', '=', id).where('voided_at', 'is', null).orderBy('id').execute(),
    liveAttachments(db, [id]),
  ]);
  return {
    errand: toErrand(r),
    parties: parties.map(toParty),
    answers: answers.map((a) => ({ position: a.position, personId: a.person_id, answer: a.answer, version: a.version, hash: a.hash, at: a.at })),
    attachments: attachments.map(toAttachment),
  };
}

export async function updateErrand(tx: Db, id: string, set: Updateable<Database['errands']>): Promise<void> {
  await tx.updateTable('errands').set(set).where('id', '=', id).execute();
}

export async function insertAnswers(tx: Db, errandId: string, rows: readonly Omit<ErrandAnswerRecord, 'at'>[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('errand_answers').values(rows.map((a) => ({ errand_id: errandId, position: a.position, person_id: a.personId, answer: a.answer, version: a.version, hash: a.hash, at }))).execute();
}

/** Voids every standing answer (the errand changed): returns how many there were. */
export async function voidAnswers(tx: Db, errandId: string, at: Date): Promise<number> {
  const r = await tx.updateTable('errand_answers').set({ voided_at: at }).where('errand_id', '=', errandId).where('voided_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function setDecline(tx: Db, errandId: string, position: number, by: string, reason: string, at: Date): Promise<void> {
  await tx.updateTable('errand_parties').set({ declined_by: by, decline_reason: reason, declined_at: at }).where('errand_id', '=', errandId).where('position', '=', position).execute();
}

/** Whether the applicant answers for a party, and on which basis (worked out afresh when the errand is sent). */
export async function setPartyBasis(tx: Db, errandId: string, position: number, represented: boolean, basis: ErrandBasisRow | null): Promise<void> {
  await tx.updateTable('errand_parties').set({ represented, basis: JSON.stringify(basis) }).where('errand_id', '=', errandId).where('position', '=', position).execute();
}

/** A party's contact details corrected for this errand (null: the register's own). */
export async function setPartyContact(tx: Db, errandId: string, position: number, contact: { email?: string; phone?: string } | null): Promise<void> {
  await tx.updateTable('errand_parties').set({ contact: JSON.stringify(contact) }).where('errand_id', '=', errandId).where('position', '=', position).execute();
}

export async function clearDeclines(tx: Db, errandId: string): Promise<void> {
  await tx.updateTable('errand_parties').set({ declined_by: null, decline_reason: null, declined_at: null }).where('errand_id', '=', errandId).where('declined_by', 'is not', null).execute();
}

/**
 * The errands a person may have a part in: as applicant, as a party (themselves or an organisation
 * they sign for), or as the principal's side (themselves, a child, a ward, an organisation). The
 * access rule then decides which of these the person sees.
 */
export async function errandIdsOfPerson(db: Db, personId: string, parties: readonly PartyRef[], limit: number): Promise<string[]> {
  const refs = [{ type: 'person' as const, id: personId }, ...parties];
  const partyMatch = sql.join(refs.map((p) => sql`(${p.type}, ${p.id})`));
  const principalMatch = sql.join(refs.map((p) => sql`${JSON.stringify({ type: p.type, id: p.id })}::jsonb`));
  const rows = await sql<{ id: string }>`
    select e.id from errands e
    where (
      e.applicant_id = ${personId}
      or e.principal in (${principalMatch})
      or e.subject in (${principalMatch})
      or exists (select 1 from errand_parties p where p.errand_id = e.id and (p.party_type, p.party_id) in (${partyMatch}))
    )
    order by e.updated_at desc, e.id limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

export async function loadErrands(db: Db, ids: readonly string[]): Promise<LoadedErrand[]> {
  if (ids.length === 0) return [];
  const [rows, parties, answers, attachments] = await Promise.all([
    db.selectFrom('errands').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('errand_parties').selectAll().where('errand_id', 'in', ids).orderBy('errand_id').orderBy('position').execute(),
    db.selectFrom('errand_answers').select(['errand_id', 'position', 'person_id', 'answer', 'version', 'hash', 'at']).where('errand_id', 'in', ids).where('voided_at', 'is', null).orderBy('id').execute(),
    liveAttachments(db, ids),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.filter((id) => byId.has(id)).map((id) => ({
    errand: toErrand(byId.get(id)!),
    parties: parties.filter((p) => p.errand_id === id).map(toParty),
    answers: answers.filter((a) => a.errand_id === id).map((a) => ({ position: a.position, personId: a.person_id, answer: a.answer, version: a.version, hash: a.hash, at: a.at })),
    attachments: attachments.filter((a) => a.errand_id === id).map(toAttachment),
  }));
}

/** Age in the queue: since it was sent (a draft has no place there). */
export interface QueueCursor { at: string; id: string }

/** A municipality's errands for its caseworkers, oldest first, keyset-paginated on (sent at, id). */
export async function errandQueue(db: Db, o: { municipality: string; statuses: readonly string[]; service?: string; after?: QueueCursor; limit: number }): Promise<ErrandRecord[]> {
  let q = db.selectFrom('errands').selectAll()
    .where('municipality', '=', o.municipality).where('kind', '=', 'errand').where('status', 'in', o.statuses).where('submitted_at', 'is not', null);
  if (o.service) q = q.where('service', '=', o.service);
  if (o.after) {
    const after = o.after;
    q = q.where((eb) => eb.or([eb('submitted_at', '>', new Date(after.at)), eb.and([eb('submitted_at', '=', new Date(after.at)), eb('id', '>', after.id)])]));
  }
  const rows = await q.orderBy('submitted_at').orderBy('id').limit(o.limit).execute();
  return rows.map(toErrand);
}

/** How many sent errands of a municipality are in these statuses (the caseworker's pending count). */
export async function countQueue(db: Db, o: { municipality: string; statuses: readonly string[] }): Promise<number> {
  const r = await db.selectFrom('errands').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('municipality', '=', o.municipality).where('kind', '=', 'errand').where('status', 'in', o.statuses).where('submitted_at', 'is not', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Errands waiting for this mandate request, locked. */
export async function errandsAwaitingMandate(tx: Db, mandateId: string): Promise<string[]> {
  const rows = await tx.selectFrom('errands').select('id').where('mandate_request_id', '=', mandateId).where('status', '=', 'awaiting-mandate').forUpdate().execute();
  return rows.map((r) => r.id);
}

/** Errands waiting for answers whose deadline is on or before `day`, for the daily job. */
export async function errandsWithDeadlineBy(db: Db, day: LocalDate): Promise<{ id: string; deadline: LocalDate; remindedOn: LocalDate | null }[]> {
  const rows = await db.selectFrom('errands').select(['id', 'deadline', 'reminded_on'])
    .where('status', 'in', ['awaiting-signatures', 'awaiting-confirmations']).where('deadline', '<=', day).orderBy('deadline').execute();
  return rows.map((r) => ({ id: r.id, deadline: dateOf(r.deadline)!, remindedOn: dateOf(r.reminded_on) }));
}

/** The errand's timeline: its domain events, oldest first. */
export async function eventsOfErrand(db: Db, errandId: string): Promise<{ event: DomainEvent; actor: Record<string, unknown>; at: Date }[]> {
  const rows = await db.selectFrom('domain_events').select(['payload', 'actor', 'at']).where('errand_id', '=', errandId).orderBy('id').execute();
  return rows.map((r) => ({ event: r.payload as DomainEvent, actor: r.actor as Record<string, unknown>, at: r.at }));
}

// ---- attachments (decision 0012) -----------------------------------------------------------------

export interface NewAttachment { id: string; errandId: string; name: string; contentType: string; sha256: string; content: Uint8Array; uploadedBy: string; at: Date }

/** Stores a file in the command's transaction: the row holds its content, so a backup of the database holds it too. */
export async function insertAttachment(tx: Db, a: NewAttachment): Promise<void> {
  await tx.insertInto('errand_attachments').values({
    id: a.id, errand_id: a.errandId, name: a.name, content_type: a.contentType, size: a.content.byteLength, sha256: a.sha256,
    content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength), uploaded_by: a.uploadedBy, created_at: a.at,
  }).execute();
}

/** Takes an attachment off the errand: the row and its content stay (nothing is ever lost). False when it was not on the errand. */
export async function markAttachmentRemoved(tx: Db, errandId: string, id: string, at: Date): Promise<boolean> {
  const r = await tx.updateTable('errand_attachments').set({ removed_at: at }).where('errand_id', '=', errandId).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** One attachment on the errand, with its content; undefined when there is none such (or it was removed). */
export async function attachmentContent(db: Db, errandId: string, id: string): Promise<(ErrandAttachmentRecord & { content: Buffer }) | undefined> {
  const r = await db.selectFrom('errand_attachments').select([...ATTACHMENT_COLUMNS, 'content'])
    .where('errand_id', '=', errandId).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  if (!r) return undefined;
  const c = r.content;
  return { ...toAttachment(r), content: Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength) };
}

/** A short reference people can read out on the phone: PA- and eight characters without look-alikes. */
export async function refExists(db: Db, ref: string): Promise<boolean> {
  return !!(await db.selectFrom('errands').select('id').where('ref', '=', ref).executeTakeFirst());
}

/** Contact details corrected for an errand, for these (errand, person) pairs: key `errand:person`. */
export async function correctedContacts(db: Db, pairs: readonly { errandId: string; personId: string }[]): Promise<Map<string, { email?: string; phone?: string }>> {
  const out = new Map<string, { email?: string; phone?: string }>();
  if (pairs.length === 0) return out;
  const rows = await db.selectFrom('errand_parties').select(['errand_id', 'party_id', 'contact'])
    .where('party_type', '=', 'person').where('contact', 'is not', null)
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('errand_id', '=', p.errandId), eb('party_id', '=', p.personId)]))))
    .execute();
  for (const r of rows) if (r.contact) out.set(`${r.errand_id}:${r.party_id}`, r.contact);
  return out;
}

/** The errands that asked for these mandate requests (situation A), with their service's name: mandate id → errand. */
export async function errandsOfMandateRequests(db: Db, mandateIds: readonly string[]): Promise<Map<string, { id: string; ref: string; service: string; serviceName: { fi: string; sv: string; en: string }; municipality: string }>> {
  const out = new Map<string, { id: string; ref: string; service: string; serviceName: { fi: string; sv: string; en: string }; municipality: string }>();
  if (mandateIds.length === 0) return out;
  const rows = await db.selectFrom('errands').innerJoin('service_classes', 'service_classes.code', 'errands.service')
    .select(['errands.id', 'errands.ref', 'errands.service', 'errands.municipality', 'errands.mandate_request_id', 'service_classes.name'])
    .where('errands.mandate_request_id', 'in', mandateIds).execute();
  for (const r of rows) out.set(r.mandate_request_id!, { id: r.id, ref: r.ref, service: r.service, serviceName: r.name as { fi: string; sv: string; en: string }, municipality: r.municipality });
  return out;
}
