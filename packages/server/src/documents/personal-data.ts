/**
 * Everything Puolesta holds about a person (GDPR access, issue 11 item 9) as a readable PDF, in
 * Finnish, Swedish or English: the same content as the JSON export, a section with a heading for
 * each part. Names only: identity codes are blanked out like in every Puolesta document.
 */
import type { MandateStatus } from '@puolesta/domain';
import { a4Page, formatInstant } from './pdf.js';
import { RECEIPT_TEXTS } from './mandate-receipt.js';
import { SUMMARY_TEXTS } from './errand-summary.js';
import { formatDate } from '../notifications/templates.js';
import type { Language } from '../notifications/types.js';
import type { PersonalDataExport } from '../services/data-export.service.js';

export interface PersonalDataTexts {
  title: string; intro: string; none: string;
  person: string; name: string; birthDate: string; municipality: string; language: string;
  settings: string; channel: string; email: string; phone: string; notifyEveryUse: string; fromRegister: string; yes: string; no: string;
  mandates: string; given: string; received: string; requestsIn: string; requestsOut: string; matters: string; validity: string;
  log: string; errands: string; attachments: string; formData: string;
  messages: string; audit: string; byMe: string; byOther: string;
  sessions: string; sessionCount: string; lastUsed: string;
  generated: string; page: string;
  channels: Record<string, string>;
}

export const PERSONAL_DATA_TEXTS: Record<Language, PersonalDataTexts> = {
  fi: {
    title: 'Omat tietoni Puolesta-palvelussa', intro: 'Tässä ovat kaikki tiedot, joita Puolesta-palvelu säilyttää sinusta tulostushetkellä.', none: 'Ei tietoja',
    person: 'Henkilötiedot', name: 'Nimi', birthDate: 'Syntymäaika', municipality: 'Kotikunta', language: 'Kieli',
    settings: 'Yhteystiedot ja asetukset', channel: 'Ilmoitustapa', email: 'Sähköposti', phone: 'Puhelin', notifyEveryUse: 'Ilmoitus jokaisesta käytöstä', fromRegister: 'Tiedot väestötietojärjestelmästä', yes: 'Kyllä', no: 'Ei',
    mandates: 'Valtuutukset', given: 'Antamani valtuutukset', received: 'Saamani valtuutukset', requestsIn: 'Minulle tulleet pyynnöt', requestsOut: 'Lähettämäni pyynnöt', matters: 'Asiat', validity: 'Voimassa',
    log: 'Valtuutusten käyttöloki', errands: 'Asioinnit', attachments: 'Liitteet', formData: 'Lomakkeen tiedot',
    messages: 'Viestit', audit: 'Lokimerkinnät', byMe: 'Itse tehty', byOther: 'Muun tekemä',
    sessions: 'Istunnot', sessionCount: 'Avoimia istuntoja', lastUsed: 'Viimeksi käytetty',
    generated: 'Tulostettu', page: 'Sivu',
    channels: { suomifi: 'Suomi.fi-viestit', email: 'Sähköposti', sms: 'Tekstiviesti', paper: 'Kirje' },
  },
  sv: {
    title: 'Mina uppgifter i Puolesta-tjänsten', intro: 'Här är alla uppgifter som Puolesta-tjänsten har om dig när dokumentet skrivs ut.', none: 'Inga uppgifter',
    person: 'Personuppgifter', name: 'Namn', birthDate: 'Födelsedatum', municipality: 'Hemkommun', language: 'Språk',
    settings: 'Kontaktuppgifter och inställningar', channel: 'Meddelandesätt', email: 'E-post', phone: 'Telefon', notifyEveryUse: 'Meddelande om varje användning', fromRegister: 'Uppgifter från befolkningsdatasystemet', yes: 'Ja', no: 'Nej',
    mandates: 'Fullmakter', given: 'Fullmakter jag har gett', received: 'Fullmakter jag har fått', requestsIn: 'Begäranden till mig', requestsOut: 'Begäranden jag har skickat', matters: 'Ärenden', validity: 'Giltig',
    log: 'Logg över användningen av fullmakterna', errands: 'Ärenden i e-tjänsten', attachments: 'Bilagor', formData: 'Blankettens uppgifter',
    messages: 'Meddelanden', audit: 'Loggposter', byMe: 'Gjort av mig', byOther: 'Gjort av någon annan',
    sessions: 'Sessioner', sessionCount: 'Öppna sessioner', lastUsed: 'Senast använd',
    generated: 'Utskrivet', page: 'Sida',
    channels: { suomifi: 'Suomi.fi-meddelanden', email: 'E-post', sms: 'Textmeddelande', paper: 'Brev' },
  },
  en: {
    title: 'My data in Puolesta', intro: 'This is all the data the Puolesta service holds about you at the time of printing.', none: 'None',
    person: 'Personal details', name: 'Name', birthDate: 'Date of birth', municipality: 'Home municipality', language: 'Language',
    settings: 'Contact details and settings', channel: 'How you are notified', email: 'Email', phone: 'Phone', notifyEveryUse: 'Notice of every use', fromRegister: 'Details from the Population Information System', yes: 'Yes', no: 'No',
    mandates: 'Mandates', given: 'Mandates I have given', received: 'Mandates I have received', requestsIn: 'Requests to me', requestsOut: 'Requests I have sent', matters: 'Matters', validity: 'Valid',
    log: 'Usage log of the mandates', errands: 'Errands', attachments: 'Attachments', formData: 'Form data',
    messages: 'Messages', audit: 'Audit log entries', byMe: 'Done by me', byOther: 'Done by someone else',
    sessions: 'Sessions', sessionCount: 'Open sessions', lastUsed: 'Last used',
    generated: 'Printed', page: 'Page',
    channels: { suomifi: 'Suomi.fi Messages', email: 'Email', sms: 'Text message', paper: 'Letter' },
  },
};

export interface PersonalDataOptions {
  language: Language; at: Date; compress?: boolean;
  issueName(code: string): string;
  municipalityName(code: string): string;
}

const LANGUAGE_NAMES: Record<Language, Record<string, string>> = {
  fi: { fi: 'suomi', sv: 'ruotsi', en: 'englanti' },
  sv: { fi: 'finska', sv: 'svenska', en: 'engelska' },
  en: { fi: 'Finnish', sv: 'Swedish', en: 'English' },
};

const flat = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${flat(x)}`).join('; ') : String(v));

export function renderPersonalDataPdf(x: PersonalDataExport, o: PersonalDataOptions): Promise<Buffer> {
  const lang = o.language;
  const t = PERSONAL_DATA_TEXTS[lang];
  const r = RECEIPT_TEXTS[lang];
  const { doc, txt, left, width, row, ensure, finish } = a4Page({ lang, title: t.title, at: o.at, compress: o.compress, removedText: r.identityCodeRemoved });
  const when = (iso: string) => formatInstant(iso, lang, r.locale);
  const heading = (s: string) => {
    ensure(60);
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(13).fillColor('black').text(txt(s), left, doc.y, { width });
    doc.moveDown(0.3);
  };
  const sub = (s: string) => {
    ensure(40);
    doc.moveDown(0.3);
    doc.font('Helvetica-Bold').fontSize(10).fillColor('black').text(txt(s), left, doc.y, { width });
    doc.moveDown(0.2);
  };
  const none = () => { doc.font('Helvetica').fontSize(10).fillColor('#333333').text(txt(t.none), left, doc.y, { width }); doc.moveDown(0.2); };

  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(txt(t.title), left, doc.y, { width });
  doc.moveDown(0.4);
  doc.font('Helvetica').fontSize(10).fillColor('#333333').text(txt(t.intro), left, doc.y, { width });

  heading(t.person);
  row(t.name, `${x.person.firstName} ${x.person.lastName}`);
  row(t.birthDate, formatDate(x.person.birthDate, lang));
  row(t.municipality, x.person.municipality ? o.municipalityName(x.person.municipality) : '–');
  row(t.language, LANGUAGE_NAMES[lang][x.person.language] ?? x.person.language);

  heading(t.settings);
  const s = x.contactSettings;
  row(t.channel, t.channels[s.preferredChannel] ?? s.preferredChannel);
  row(t.email, s.email ?? '–');
  row(t.phone, s.phone ?? '–');
  row(t.language, LANGUAGE_NAMES[lang][s.language] ?? s.language);
  row(t.notifyEveryUse, s.notifyEveryUse ? t.yes : t.no);
  row(t.fromRegister, s.fromRegister ? t.yes : t.no);

  heading(t.mandates);
  for (const [label, list] of [[t.given, x.mandates.given], [t.received, x.mandates.received], [t.requestsIn, x.mandates.requestsIn], [t.requestsOut, x.mandates.requestsOut]] as const) {
    sub(label);
    if (!list.length) none();
    for (const m of list) {
      row(`${m.principal.name} → ${m.agent.name}`, `${r.statuses[m.status as MandateStatus] ?? m.status}`);
      row(t.matters, m.issues.map((i) => o.issueName(i)).join(', '), { indent: 12 });
      row(t.validity, `${formatDate(m.validFrom, lang)} – ${formatDate(m.validUntil, lang)}`, { indent: 12 });
    }
  }

  heading(t.log);
  if (!x.usageLog.length) none();
  for (const u of x.usageLog) {
    const who = u.mandate ? `${u.mandate.principal} → ${u.mandate.agent}` : u.mandateId;
    row(when(u.at), [who, u.actor.name, u.service?.name[lang], u.eService?.name[lang], u.errandRef].filter(Boolean).join(' · '));
  }

  heading(t.errands);
  if (!x.errands.length) none();
  for (const e of x.errands) {
    sub(`${e.ref} · ${e.serviceName[lang]} · ${o.municipalityName(e.municipality)}`);
    row(r.status, SUMMARY_TEXTS[lang].statuses[e.status as keyof typeof SUMMARY_TEXTS.fi.statuses] ?? e.status);
    row(r.created, when(e.createdAt));
    const data = flat(e.data);
    if (data) row(t.formData, data);
    row(t.attachments, e.attachments.length ? e.attachments.map((a) => `${a.name} (${a.size} B)`).join('\n') : '–');
  }

  heading(t.messages);
  if (!x.messages.length) none();
  for (const m of x.messages) row(when(m.createdAt), m.subject);

  heading(t.audit);
  if (!x.audit.length) none();
  for (const a of x.audit) row(when(a.at), [a.event, a.byMe ? t.byMe : t.byOther, a.errandRef].filter(Boolean).join(' · '));

  heading(t.sessions);
  row(t.sessionCount, String(x.sessions.count));
  row(t.lastUsed, x.sessions.lastUsedAt ? when(x.sessions.lastUsedAt) : '–');

  return finish((n, of) => `${t.title} · ${t.generated} ${when(o.at.toISOString())} · ${t.page} ${n}/${of}`);
}
