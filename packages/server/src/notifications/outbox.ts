import { randomUUID } from 'node:crypto';
import { answerersOf, asMandateId, channelChain, errandRecipientsOf, recipientsOf, sameParty, tellsSomeone, type DomainEvent, type ErrandEvent, type NotifiedSide, type PartyRef } from '@puolesta/domain';
import { findErrand } from '../repositories/errands.repository.js';
import { renderErrandMessage } from './errand-templates.js';
import { channelName, type DatabaseHandle } from '../db/database.js';
import type { AuditActor } from '../repositories/audit.repository.js';
import { eventsOfMandate } from '../repositories/events.repository.js';
import { findMandate, type MandateRecord } from '../repositories/mandates.repository.js';
import { contactsOf, insertNotifications, type NewNotification } from '../repositories/notifications.repository.js';
import { partyNames, propertyAddress } from '../repositories/registers.repository.js';
import type { Context } from '../services/context.js';
import { grantingSide } from '../services/parties.js';
import { renderMessage } from './templates.js';
import type { Language, TemplateInput } from './types.js';
export type { NotifySettings } from './types.js';


/** Something to tell people about: a domain event of a command, or a scheduled notice about a mandate. */
export type Notice =
  | { event: DomainEvent; by: AuditActor; key: string }
  | { event: { type: 'mandate.expiring' | 'mandate.expired'; mandateId: string }; by: null; key: string };

const LANG = new Set(['fi', 'sv', 'en']);
const asLanguage = (s: string): Language => (LANG.has(s) ? (s as Language) : 'fi');

/** Who reads for a side of a mandate: the registers' answer to who decides for it (every guardian of a minor, an organisation's signatories). */
async function sideOf(ctx: MessageContext, p: PartyRef): Promise<NotifiedSide> {
  const s = await grantingSide(ctx, p);
  switch (s.kind) {
    case 'person': return { kind: 'person', id: p.id };
    case 'child': return { kind: 'child', id: p.id, guardians: s.guardians };
    case 'organization': return { kind: 'organization', id: p.id, signatories: [...s.signing].filter(([, signing]) => signing !== 'none').map(([person]) => person) };
  }
}

/** What writing messages needs of a command's context (the worker process has no authorization index). */
export type MessageContext = Pick<Context, 'db' | 'h' | 'now' | 'catalogue' | 'notify'>;

/**
 * Writes the messages these notices give, in the caller's transaction: for each recipient the rule
 * of the domain (`recipientsOf`) names, one message in their language, rendered now, with the
 * channels it will try (`channelChain` of their settings). Returns how many messages were written.
 */
export async function writeMessages(ctx: MessageContext, notices: readonly Notice[], at: Date): Promise<number> {
  return insertNotifications(ctx.db, await prepareMessages(ctx, notices, at), ctx.notify.maxAttempts, outboxChannel(ctx.h));
}

/** The channel the workers LISTEN on (PostgreSQL), or null (PGlite: the worker is in this process). */
export const outboxChannel = (h: DatabaseHandle) => (h.kind === 'postgres' ? channelName(h.schema, 'outbox') : null);

/**
 * The messages these notices give, rendered, ready to be written (the unit of work writes them with
 * its events in one statement). `ctx.db` is the command's transaction.
 */
export async function prepareMessages(ctx: MessageContext, notices: readonly Notice[], at: Date): Promise<NewNotification[]> {
  const db = ctx.db;
  const rows: NewNotification[] = [];
  for (const n of notices) {
    if (!tellsSomeone(n.event)) continue;
    if (n.event.type.startsWith('errand.')) {
      rows.push(...(await errandMessages(ctx, n as Notice & { event: ErrandEvent }, at)));
      continue;
    }
    if (!('mandateId' in n.event)) continue;
    // The event carries the terms when they changed; otherwise the mandate is read (in this transaction).
    const m = mandateOf(n.event) ?? (await findMandate(db, asMandateId(n.event.mandateId)));
    if (!m) continue;
    const sides = { principal: await sideOf(ctx, m.principal), agent: await sideOf(ctx, m.agent) };
    const actorPerson = n.by?.kind === 'person' ? n.by.id : null;
    const recipients = recipientsOf(n.event, sides, actorPerson);
    if (recipients.length === 0) continue;
    // One query for the recipients' settings and the persons' names; organisations' names apart.
    const persons = [m.principal, m.agent].filter((p) => p.type === 'person').map((p) => p.id);
    const contacts = await contactsOf(db, [...recipients.map((r) => r.personId), ...persons, ...(actorPerson ? [actorPerson] : [])]);
    const orgs = [m.principal, m.agent].filter((p) => p.type === 'organization');
    const names = orgs.length ? await partyNames(db, orgs) : new Map<string, string>();
    for (const [id, c] of contacts) names.set(`person:${id}`, c.name);
    const common = await commonInput(ctx, n, m, names);
    for (const r of recipients) {
      const c = contacts.get(r.personId);
      if (!c) continue;
      if (r.onlyIfEveryUse && !c.notifyEveryUse) continue;
      const language = asLanguage(c.language);
      const { actorMunicipality, ...shared } = common;
      const municipalityName = (code: string) => ctx.catalogue.municipalities.get(code)?.name[language] ?? code;
      const issueNames = (codes: readonly string[]) => codes.map((code) => ctx.catalogue.issues.find((i) => i.code === code)?.name[language] ?? code);
      const input: TemplateInput = {
        ...shared, event: r.event, role: r.role, language, recipientName: c.name,
        issues: issueNames(m.issues),
        ...(common.leftOut ? { leftOut: { ...common.leftOut, issues: issueNames(common.leftOut.issues) } } : {}),
        ...(common.use ? { use: { ...common.use, municipalityName: municipalityName(common.use.municipalityName) } } : {}),
        ...(actorMunicipality ? { actorName: municipalityName(actorMunicipality) } : {}),
      };
      const msg = renderMessage(input);
      rows.push({
        id: randomUUID(), key: `${n.key}:${r.personId}`, recipientId: r.personId, municipality: c.municipality,
        event: r.event, language, subject: msg.subject, body: msg.text, html: msg.html, sms: msg.sms, link: input.link,
        chain: channelChain(c), mandateId: m.id, errandId: null, at,
      });
    }
  }
  return rows;
}

/** What a message needs of a mandate. */
type MandateTerms = Pick<MandateRecord, 'id' | 'principal' | 'agent' | 'issues' | 'validFrom' | 'validUntil' | 'oneOff' | 'target'>;

/** The mandate's terms as an event that set them carries them (no query needed). */
function mandateOf(e: Notice['event']): MandateTerms | null {
  if (!('terms' in e)) return null;
  const t = e.terms;
  return {
    id: asMandateId(e.mandateId), principal: e.principal, agent: e.agent, issues: [...t.issues], validFrom: t.validFrom, validUntil: t.validUntil,
    oneOff: t.oneOff, target: t.target ? { type: 'property', id: t.target.id } : null,
  } as MandateTerms;
}

/** What every recipient's message about this notice shares (names, dates, what was left out, the use). */
async function commonInput(ctx: MessageContext, n: Notice, m: MandateTerms, names: Map<string, string>) {
  const db = ctx.db;
  const nameOf = (p: PartyRef) => names.get(`${p.type}:${p.id}`) ?? '';
  const e = n.event;
  let actorName: string | undefined;
  // Who gave it: for a minor or a ward, the guardian who made it take effect, never the child (views).
  const givenForPerson = n.by?.kind === 'person' && m.principal.type === 'person' && m.principal.id !== n.by.id;
  if (n.by?.kind === 'person' && (e.type === 'mandate.grant-awaiting-approval' || e.type === 'mandate.approved' || (e.type === 'mandate.granted' && givenForPerson))) actorName = names.get(`person:${n.by.id}`);
  // A caseworker's paper registration speaks in their municipality's name (in each reader's language).
  const actorMunicipality = n.by?.kind === 'staff' && n.by.municipality ? n.by.municipality : undefined;
  let leftOut: TemplateInput['leftOut'];
  if (e.type === 'mandate.granted' && e.narrowedTo) {
    const asked = (await eventsOfMandate(db, m.id)).find((x) => x.type === 'mandate.requested');
    if (asked && asked.type === 'mandate.requested') {
      const t = asked.terms;
      leftOut = {
        issues: t.issues.filter((i) => !e.narrowedTo!.issues.includes(i)),
        ...(t.validFrom !== e.narrowedTo.validFrom ? { validFrom: { asked: t.validFrom, granted: e.narrowedTo.validFrom } } : {}),
        ...(t.validUntil !== e.narrowedTo.validUntil ? { validUntil: { asked: t.validUntil, granted: e.narrowedTo.validUntil } } : {}),
      };
    }
  }
  const property = m.target ? (await propertyAddress(db, m.target.id)) ?? m.target.id : undefined;
  return {
    principal: { name: nameOf(m.principal), kind: m.principal.type },
    agent: { name: nameOf(m.agent), kind: m.agent.type },
    ...(actorName ? { actorName } : {}),
    actorMunicipality,
    validFrom: m.validFrom,
    validUntil: m.validUntil,
    oneOff: m.oneOff,
    ...(property ? { property } : {}),
    ...(leftOut ? { leftOut } : {}),
    // The municipality's code here; each recipient reads its name in their language.
    ...(e.type === 'mandate.used' ? { use: { errandRef: e.errandRef, municipalityName: e.municipality as string, consumed: e.consumed } } : {}),
    link: `${ctx.notify.portalUrl}/mandates/${encodeURIComponent(m.id)}`,
  };
}

/** Who reads for a party: the person, a minor's guardians, an organisation's signatories. */
const readersOf = (side: NotifiedSide): string[] => (side.kind === 'person' ? [side.id] : side.kind === 'child' ? [...side.guardians] : [...side.signatories]);

/**
 * The messages an errand event gives: the domain names who is told (`errandRecipientsOf`), each in
 * their own language; contact details corrected for this errand go with it.
 */
async function errandMessages(ctx: MessageContext, n: Notice & { event: ErrandEvent }, at: Date): Promise<NewNotification[]> {
  const e = n.event;
  const l = await findErrand(ctx.db, e.errandId);
  if (!l) return [];
  const errand = l.errand;
  const applicant = errand.applicantId;
  // The principal hears "done on your behalf" when someone else acted for them (not a guardian for their own child, whose guardians are parties).
  const principalReaders = errand.principal && !(applicant && sameParty(errand.principal, { type: 'person', id: applicant })) && errand.basis?.kind !== 'guardianship'
    ? readersOf(await sideOf(ctx, errand.principal)).filter((id) => id !== applicant)
    : [];
  const partyReaders: string[] = [];
  for (const p of l.parties) partyReaders.push(...answerersOf({ ref: p.ref, side: await grantingSide(ctx, p.ref) }));
  const actorPerson = n.by?.kind === 'person' ? n.by.id : null;
  const recipients = errandRecipientsOf(e, { applicant, principalReaders, partyReaders }, actorPerson);
  if (recipients.length === 0) return [];
  const subjectRef = errand.subject.type === 'property' ? null : (errand.subject as PartyRef);
  const actorRef = e.type === 'errand.declined' ? e.party : actorPerson ? { type: 'person' as const, id: actorPerson } : null;
  const contacts = await contactsOf(ctx.db, [...recipients.map((r) => r.personId), ...(applicant ? [applicant] : [])]);
  const names = await partyNames(ctx.db, [...(subjectRef ? [subjectRef] : []), ...(errand.principal ? [errand.principal] : []), ...(actorRef ? [actorRef] : []), ...(applicant ? [{ type: 'person' as const, id: applicant }] : [])]);
  const address = errand.subject.type === 'property' ? (await propertyAddress(ctx.db, errand.subject.id)) ?? errand.subject.id : null;
  const corrected = new Map(l.parties.filter((p) => p.contact && p.ref.type === 'person').map((p) => [p.ref.id, p.contact!]));
  const svc = await ctx.db.selectFrom('service_classes').select('name').where('code', '=', errand.service).executeTakeFirst();
  const out: NewNotification[] = [];
  for (const r of recipients) {
    const c = contacts.get(r.personId);
    if (!c) continue;
    const fix = corrected.get(r.personId);
    const contact = { ...c, ...(fix?.email ? { email: fix.email, preferredChannel: c.preferredChannel } : {}), ...(fix?.phone ? { phone: fix.phone } : {}) };
    const language = asLanguage(c.language);
    const concerns = address ?? (subjectRef && !(applicant && sameParty(subjectRef, { type: 'person', id: applicant })) ? names.get(`${subjectRef.type}:${subjectRef.id}`) : undefined);
    const serviceName = ((svc?.name ?? {}) as Record<string, string>)[language] ?? errand.service;
    const municipalityName = ctx.catalogue.municipalities.get(errand.municipality)?.name[language];
    const msg = renderErrandMessage({
      event: r.event, language, recipientName: c.name, serviceName,
      municipalityName: municipalityName ?? errand.municipality,
      errandRef: errand.ref, applicantName: applicant ? names.get(`person:${applicant}`) ?? contacts.get(applicant)?.name ?? '' : null,
      // A party request: the municipality's e-service asks (its API client when the municipality is not in the catalogue).
      ...(errand.kind === 'party-request' ? { eServiceName: municipalityName ?? errand.apiClient ?? errand.municipality } : {}),
      ...(errand.document && typeof errand.document.title === 'string' ? { documentTitle: errand.document.title } : {}),
      ...(concerns ? { concerns } : {}),
      ...(actorRef ? { actorName: names.get(`${actorRef.type}:${actorRef.id}`) ?? '' } : {}),
      ...(e.type === 'errand.parties-asked' && e.deadline ? { deadline: e.deadline } : e.type === 'errand.reminded' ? { deadline: e.deadline } : {}),
      ...(e.type === 'errand.parties-asked' ? { again: e.again } : {}),
      ...(e.type === 'errand.declined' ? { reason: e.reason } : {}),
      ...(e.type === 'errand.information-requested' ? { text: e.text } : {}),
      ...(e.type === 'errand.decided' ? { outcome: e.outcome, text: errand.decision?.text ?? '' } : {}),
      link: `${ctx.notify.portalUrl}/errands/${encodeURIComponent(errand.id)}`,
    });
    out.push({
      id: randomUUID(), key: `${n.key}:${r.personId}`, recipientId: r.personId, municipality: c.municipality,
      event: r.event, language, subject: msg.subject, body: msg.text, html: msg.html, sms: msg.sms, link: `${ctx.notify.portalUrl}/errands/${encodeURIComponent(errand.id)}`,
      chain: channelChain(contact), mandateId: null, errandId: errand.id, at,
    });
  }
  return out;
}
