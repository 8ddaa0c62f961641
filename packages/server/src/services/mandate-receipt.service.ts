/**
 * A mandate's PDF receipt (issue 10, item 5), for whoever may see the mandate and for a caseworker
 * of the municipality that registered a paper mandate; in the language asked for, or the person's
 * own (staff: Finnish). Names only.
 */
import { asMandateId, effectiveStatus, refuse, type StaffActor } from '@puolesta/domain';
import { renderMandateReceiptPdf, RECEIPT_LANGUAGES } from '../documents/mandate-receipt.js';
import type { Language } from '../notifications/types.js';
import { findMandate } from '../repositories/mandates.repository.js';
import { contactsOf } from '../repositories/notifications.repository.js';
import { partyNames, propertyAddress } from '../repositories/registers.repository.js';
import { assertAllowed, mandateFacts, staffMandateFacts, registeredIn, type Caller } from './access.js';
import { today, type Context } from './context.js';

const isLanguage = (s: string | undefined): s is Language => (RECEIPT_LANGUAGES as readonly string[]).includes(s ?? '');

export async function mandateReceiptPdf(ctx: Context, who: Caller | StaffActor, id: string, lang?: Language): Promise<{ reference: string; pdf: Buffer }> {
  const m = await findMandate(ctx.db, asMandateId(id));
  if (!m) throw refuse('mandate.not-found');
  const d = today(ctx);
  if ('actor' in who) assertAllowed('mandate.download-receipt', who.actor, mandateFacts(m, who.facts, d));
  else assertAllowed('mandate.download-receipt', who, staffMandateFacts(m, d));
  let language: Language = 'fi';
  if (lang) language = lang;
  else if ('actor' in who) {
    const own = (await contactsOf(ctx.db, [who.actor.id])).get(who.actor.id)?.language;
    if (isLanguage(own)) language = own;
  }
  const names = await partyNames(ctx.db, [m.principal, m.agent]);
  const issueName = new Map(ctx.catalogue.issues.map((i) => [i.code, i.name[language]]));
  const municipalityName = (code: string) => ctx.catalogue.municipalities.get(code)?.name[language] ?? code;
  const paperIn = registeredIn(m);
  const doc = m.paperDocument as { reference?: string; signedOn?: string } | null;
  const reference = m.id;
  const pdf = await renderMandateReceiptPdf({
    reference,
    status: effectiveStatus(m, d),
    principal: names.get(`${m.principal.type}:${m.principal.id}`) ?? '',
    agent: names.get(`${m.agent.type}:${m.agent.id}`) ?? '',
    matters: m.issues.map((i) => issueName.get(i) ?? i),
    validFrom: m.validFrom,
    validUntil: m.validUntil,
    oneOff: m.oneOff,
    municipality: m.municipality ? municipalityName(m.municipality) : null,
    property: m.target ? (await propertyAddress(ctx.db, m.target.id)) ?? m.target.id : null,
    source: m.source === 'paper' || m.source === 'request' ? m.source : 'electronic',
    createdAt: new Date(m.createdAt).toISOString(),
    ...(m.source === 'paper' ? {
      paper: {
        municipality: paperIn ? municipalityName(paperIn) : '',
        registeredAt: new Date(m.createdAt).toISOString(),
        ...(doc?.reference ? { reference: doc.reference } : {}),
        ...(doc?.signedOn ? { signedOn: doc.signedOn } : {}),
      },
    } : {}),
  }, { language, at: ctx.now() });
  return { reference, pdf };
}
