/**
 * Everything Puolesta holds about the logged-in person (GDPR right of access, issue 11 item 9):
 * their person record from the registers, contact settings, mandates given and received (and
 * requests), the usage log of those mandates, errands they are applicant or party of (attachments
 * by name and size, never their bytes), messages addressed to them, audit entries about them and a
 * summary of their sessions (a count and when one was last used, never an id). Read through the
 * services and repositories that own each part; the same answer feeds the JSON and the PDF.
 */
import { refuse } from '@puolesta/domain';
import { renderPersonalDataPdf } from '../documents/personal-data.js';
import type { Language } from '../notifications/types.js';
import { findPerson } from '../repositories/registers.repository.js';
import { auditEntriesAbout, sessionSummary, type AuditAbout } from '../repositories/data-export.repository.js';
import type { Caller } from './access.js';
import type { Context } from './context.js';
import { myErrands } from './errands.service.js';
import { myMandates, type MandateView } from './mandates.service.js';
import { listMessages, mySettings } from './notifications.service.js';
import { myLog, type LogEntryView } from './usage-log.service.js';

/** Pages of the usage log read for one export (100 entries each). */
const MAX_LOG_PAGES = 50;

export async function personalDataExport(ctx: Context, c: Caller) {
  const me = c.actor;
  const p = await findPerson(ctx.db, me.id);
  if (!p) throw refuse('auth.session-ended');
  const [settings, mandates, errands, messages, sessions] = await Promise.all([
    mySettings(ctx, me), myMandates(ctx, c), myErrands(ctx, c), listMessages(ctx, me, 10_000), sessionSummary(ctx.db, `person:${me.id}`),
  ]);
  const log: LogEntryView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_LOG_PAGES; i++) {
    const page = await myLog(ctx, c, { limit: 100, ...(cursor ? { cursor } : {}) });
    log.push(...page.entries);
    cursor = page.next;
    if (!cursor) break;
  }
  const own: MandateView[] = [...mandates.given, ...mandates.received, ...mandates.requestsIn, ...mandates.requestsOut];
  const audit: AuditAbout[] = await auditEntriesAbout(ctx.db, me.id, [...new Set(own.map((m) => m.id))]);
  return {
    generatedAt: ctx.now().toISOString(),
    person: {
      id: p.id, firstName: p.first_name, lastName: p.last_name, birthDate: p.birth_date,
      municipality: p.municipality, language: p.language,
    },
    contactSettings: { preferredChannel: settings.preferredChannel, email: settings.email, phone: settings.phone, language: settings.language, notifyEveryUse: settings.notifyEveryUse, fromRegister: settings.fromRegister },
    mandates: { given: mandates.given, received: mandates.received, requestsIn: mandates.requestsIn, requestsOut: mandates.requestsOut },
    usageLog: log,
    errands: errands.items.map((e) => ({
      id: e.id, ref: e.ref, kind: e.kind, status: e.status, municipality: e.municipality, service: e.service, serviceName: e.serviceName,
      applicant: e.actor, subject: e.subject, principal: e.principal, parties: e.parties.map((x) => ({ type: x.type, id: x.id, name: x.name, response: x.response })),
      basis: e.basis, data: e.data, ...(e.decision ? { decision: e.decision } : {}),
      attachments: e.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, createdAt: a.createdAt })),
      events: e.events, createdAt: e.createdAt, updatedAt: e.updatedAt, ...(e.submittedAt ? { submittedAt: e.submittedAt } : {}),
    })),
    messages: messages.messages.map((m) => ({
      event: m.event, subject: m.subject, body: m.body, createdAt: m.createdAt, ...(m.readAt ? { readAt: m.readAt } : {}),
      ...(m.mandateId ? { mandateId: m.mandateId } : {}), ...(m.errandId ? { errandId: m.errandId } : {}),
    })),
    audit: audit.map((a) => ({
      at: a.at, event: a.event, byMe: a.byMe, actorKind: a.actorKind,
      ...(a.mandateId ? { mandateId: a.mandateId } : {}), ...(a.errandRef ? { errandRef: a.errandRef } : {}), ...(a.municipality ? { municipality: a.municipality } : {}),
    })),
    sessions,
  };
}

export type PersonalDataExport = Awaited<ReturnType<typeof personalDataExport>>;

const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];
const isLanguage = (s: string | undefined): s is Language => (LANGUAGES as readonly string[]).includes(s ?? '');

/** The same export as a readable PDF, in the language asked for, else the person's own. */
export async function personalDataPdf(ctx: Context, c: Caller, lang?: Language): Promise<Buffer> {
  const x = await personalDataExport(ctx, c);
  const language: Language = lang ?? (isLanguage(x.contactSettings.language) ? x.contactSettings.language : 'fi');
  const issueName = new Map(ctx.catalogue.issues.map((i) => [i.code, i.name[language]]));
  return renderPersonalDataPdf(x, {
    language, at: ctx.now(),
    issueName: (code) => issueName.get(code) ?? code,
    municipalityName: (code) => ctx.catalogue.municipalities.get(code)?.name[language] ?? code,
  });
}
