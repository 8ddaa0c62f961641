/**
 * The printable summary of a sent errand: a PDF (pdfkit, A4, its standard Helvetica and Courier in
 * WinAnsi: å ä ö print) in Finnish, Swedish or English. What it shows: the service and municipality,
 * the reference, status and dates, who applied for whom and on which basis, the parties and their
 * answers, the form's data under the form's own titles, the attachments with their digests, the
 * version's hash, and the decision. Names only: never an identity code (the subject property by its
 * address; anything shaped like an identity code in free text is blanked out).
 * Every text of the document is in the table below, one entry per language.
 */
import type { ErrandStatus, PartyResponse } from '@puolesta/domain';
import { fieldTitle, formOf } from '../forms/validate.js';
import type { FormField } from '../forms/forms.js';
import { a4Page, formatInstant as instant } from './pdf.js';
import { formatDate } from '../notifications/templates.js';
import type { Language } from '../notifications/types.js';
import type { ErrandView } from '../services/errands.service.js';

export const SUMMARY_LANGUAGES = ['fi', 'sv', 'en'] as const satisfies readonly Language[];

type BasisKind = 'self' | 'mandate' | 'guardianship' | 'court-guardianship' | 'organization-role' | 'owner';

export interface SummaryTexts {
  /** For numbers and times. */
  locale: string;
  title: string;
  partyRequestTitle: string;
  service: string;
  municipality: string;
  reference: string;
  status: string;
  created: string;
  sent: string;
  updated: string;
  deadline: string;
  /** Section headings. */
  who: string;
  parties: string;
  formData: string;
  document: string;
  attachments: string;
  version: string;
  decision: string;
  informationRequest: string;
  applicant: string;
  actedFor: string;
  basis: string;
  noBasis: string;
  subject: string;
  answeredAt: string;
  declineReason: string;
  represented: string;
  versionNumber: string;
  hash: string;
  hashNote: string;
  documentTitle: string;
  documentDigest: string;
  noAttachments: string;
  noParties: string;
  outcome: string;
  decidedAt: string;
  askedAt: string;
  answered: string;
  yes: string;
  no: string;
  generated: string;
  page: string;
  identityCodeRemoved: string;
  statuses: Record<ErrandStatus, string>;
  bases: Record<BasisKind, string>;
  responses: Record<PartyResponse, string>;
  outcomes: { approved: string; rejected: string };
}

/** Every word of the summary, in the three languages. */
export const SUMMARY_TEXTS: Record<Language, SummaryTexts> = {
  fi: {
    locale: 'fi-FI',
    title: 'Asioinnin yhteenveto',
    partyRequestTitle: 'Allekirjoitus- tai vahvistuspyynnön yhteenveto',
    service: 'Palvelu',
    municipality: 'Kunta',
    reference: 'Asiointitunnus',
    status: 'Tila',
    created: 'Aloitettu',
    sent: 'Lähetetty',
    updated: 'Muutettu viimeksi',
    deadline: 'Vastattava viimeistään',
    who: 'Kuka asioi ja kenen puolesta',
    parties: 'Osapuolet ja heidän vastauksensa',
    formData: 'Hakemuksen tiedot',
    document: 'Asiakirja',
    attachments: 'Liitteet',
    version: 'Versio',
    decision: 'Päätös',
    informationRequest: 'Lisätietopyyntö',
    applicant: 'Hakija',
    actedFor: 'Kenen puolesta',
    basis: 'Peruste',
    noBasis: 'Ei perustetta (valtuutta pyydetty)',
    subject: 'Asia koskee',
    answeredAt: 'vastasi',
    declineReason: 'Kieltäytymisen syy',
    represented: 'hakija vastaa osapuolen puolesta',
    versionNumber: 'Versionumero',
    hash: 'Tiiviste (SHA-256)',
    hashNote: 'Allekirjoitukset ja vahvistukset koskevat tätä versiota: tiiviste kattaa hakemuksen tiedot, osapuolet ja liitteiden tiivisteet.',
    documentTitle: 'Otsikko',
    documentDigest: 'Asiakirjan tiiviste (SHA-256)',
    noAttachments: 'Ei liitteitä',
    noParties: 'Ei muita osapuolia',
    outcome: 'Ratkaisu',
    decidedAt: 'Päätetty',
    askedAt: 'Pyydetty',
    answered: 'Vastattu',
    yes: 'Kyllä',
    no: 'Ei',
    generated: 'Tulostettu',
    page: 'Sivu',
    identityCodeRemoved: '[henkilötunnus poistettu]',
    statuses: {
      draft: 'Luonnos', 'awaiting-mandate': 'Odottaa valtuutta', 'awaiting-signatures': 'Odottaa allekirjoituksia', 'awaiting-confirmations': 'Odottaa vahvistuksia',
      submitted: 'Lähetetty käsiteltäväksi', returned: 'Palautettu täydennettäväksi', decided: 'Päätetty', withdrawn: 'Peruttu', declined: 'Osapuoli kieltäytyi', expired: 'Vanhentunut',
    },
    bases: {
      self: 'Oma asia', mandate: 'Valtuus', guardianship: 'Alaikäisen lapsen huoltaja', 'court-guardianship': 'Edunvalvoja',
      'organization-role': 'Asema organisaatiossa', owner: 'Kiinteistön omistaja',
    },
    responses: { pending: 'Odottaa vastausta', signed: 'Allekirjoittanut', confirmed: 'Vahvistanut', declined: 'Kieltäytynyt', notified: 'Tiedotettu', attested: 'Hakija vakuutti osapuolen suostumuksen' },
    outcomes: { approved: 'Myönteinen', rejected: 'Kielteinen' },
  },
  sv: {
    locale: 'sv-FI',
    title: 'Sammandrag av ärendet',
    partyRequestTitle: 'Sammandrag av begäran om underskrift eller bekräftelse',
    service: 'Tjänst',
    municipality: 'Kommun',
    reference: 'Ärendenummer',
    status: 'Status',
    created: 'Påbörjat',
    sent: 'Skickat',
    updated: 'Senast ändrat',
    deadline: 'Svar senast',
    who: 'Vem uträttar ärendet och för vem',
    parties: 'Parterna och deras svar',
    formData: 'Uppgifter i ansökan',
    document: 'Handling',
    attachments: 'Bilagor',
    version: 'Version',
    decision: 'Beslut',
    informationRequest: 'Begäran om tilläggsuppgifter',
    applicant: 'Sökande',
    actedFor: 'För vem',
    basis: 'Grund',
    noBasis: 'Ingen grund (fullmakt har begärts)',
    subject: 'Ärendet gäller',
    answeredAt: 'svarade',
    declineReason: 'Orsak till vägran',
    represented: 'den sökande svarar för parten',
    versionNumber: 'Versionsnummer',
    hash: 'Hashvärde (SHA-256)',
    hashNote: 'Underskrifterna och bekräftelserna gäller denna version: hashvärdet täcker ansökans uppgifter, parterna och bilagornas hashvärden.',
    documentTitle: 'Rubrik',
    documentDigest: 'Handlingens hashvärde (SHA-256)',
    noAttachments: 'Inga bilagor',
    noParties: 'Inga andra parter',
    outcome: 'Avgörande',
    decidedAt: 'Beslutat',
    askedAt: 'Begärt',
    answered: 'Besvarat',
    yes: 'Ja',
    no: 'Nej',
    generated: 'Utskrivet',
    page: 'Sida',
    identityCodeRemoved: '[personbeteckning borttagen]',
    statuses: {
      draft: 'Utkast', 'awaiting-mandate': 'Väntar på fullmakt', 'awaiting-signatures': 'Väntar på underskrifter', 'awaiting-confirmations': 'Väntar på bekräftelser',
      submitted: 'Skickat för behandling', returned: 'Returnerat för komplettering', decided: 'Avgjort', withdrawn: 'Återtaget', declined: 'En part vägrade', expired: 'Förfallet',
    },
    bases: {
      self: 'Eget ärende', mandate: 'Fullmakt', guardianship: 'Vårdnadshavare för ett minderårigt barn', 'court-guardianship': 'Intressebevakare',
      'organization-role': 'Ställning i organisationen', owner: 'Fastighetens ägare',
    },
    responses: { pending: 'Väntar på svar', signed: 'Har undertecknat', confirmed: 'Har bekräftat', declined: 'Har vägrat', notified: 'Har underrättats', attested: 'Sökanden försäkrade att parten samtycker' },
    outcomes: { approved: 'Bifallet', rejected: 'Avslaget' },
  },
  en: {
    locale: 'en-GB',
    title: 'Errand summary',
    partyRequestTitle: 'Summary of a request to sign or confirm',
    service: 'Service',
    municipality: 'Municipality',
    reference: 'Reference',
    status: 'Status',
    created: 'Started',
    sent: 'Sent',
    updated: 'Last changed',
    deadline: 'Answer by',
    who: 'Who acted, and for whom',
    parties: 'Parties and their answers',
    formData: 'Application details',
    document: 'Document',
    attachments: 'Attachments',
    version: 'Version',
    decision: 'Decision',
    informationRequest: 'Request for more information',
    applicant: 'Applicant',
    actedFor: 'On behalf of',
    basis: 'Basis',
    noBasis: 'No basis (a mandate was asked for)',
    subject: 'Concerns',
    answeredAt: 'answered',
    declineReason: 'Reason for declining',
    represented: 'the applicant answers for this party',
    versionNumber: 'Version number',
    hash: 'Hash (SHA-256)',
    hashNote: 'Signatures and confirmations apply to this version: the hash covers the application details, the parties and the attachments\' digests.',
    documentTitle: 'Title',
    documentDigest: 'Document digest (SHA-256)',
    noAttachments: 'No attachments',
    noParties: 'No other parties',
    outcome: 'Outcome',
    decidedAt: 'Decided',
    askedAt: 'Asked',
    answered: 'Answered',
    yes: 'Yes',
    no: 'No',
    generated: 'Printed',
    page: 'Page',
    identityCodeRemoved: '[identity code removed]',
    statuses: {
      draft: 'Draft', 'awaiting-mandate': 'Waiting for a mandate', 'awaiting-signatures': 'Waiting for signatures', 'awaiting-confirmations': 'Waiting for confirmations',
      submitted: 'Sent for processing', returned: 'Returned for more information', decided: 'Decided', withdrawn: 'Withdrawn', declined: 'A party declined', expired: 'Expired',
    },
    bases: {
      self: 'Own matter', mandate: 'Mandate', guardianship: 'Guardian of a minor child', 'court-guardianship': 'Court-appointed guardian',
      'organization-role': 'Position in the organisation', owner: 'Owner of the property',
    },
    responses: { pending: 'Waiting for an answer', signed: 'Signed', confirmed: 'Confirmed', declined: 'Declined', notified: 'Informed', attested: 'The applicant attested the party agrees' },
    outcomes: { approved: 'Approved', rejected: 'Rejected' },
  },
};

export interface SummaryOptions {
  language: Language;
  /** The municipality's name in the language. */
  municipalityName: string;
  /** When it was printed. */
  at: Date;
  /** Compress the PDF's streams (default true; tests turn it off to read the text). */
  compress?: boolean;
}

interface DataLine { depth: number; label: string; value: string }

/** The form's data as lines under the form's titles, values by their titles (x-enum-titles) in the language. */
export function formDataLines(service: string, data: Record<string, unknown>, language: Language, t: SummaryTexts): DataLine[] {
  const form = formOf(service);
  const out: DataLine[] = [];
  const value = (field: FormField | undefined, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '–';
    if (typeof v === 'boolean') return v ? t.yes : t.no;
    if (field && (field.type === 'string' || field.type === 'integer') && field.enum && field['x-enum-titles']) {
      const i = (field.enum as readonly unknown[]).indexOf(v);
      if (i >= 0) return field['x-enum-titles'][language][i] ?? String(v);
    }
    if (field?.type === 'string' && field.format === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v, language);
    if (typeof v === 'number') return v.toLocaleString(t.locale);
    if (typeof v === 'string') return v;
    return JSON.stringify(v);
  };
  const walk = (path: string, field: FormField | undefined, v: unknown, depth: number, label: string) => {
    if (Array.isArray(v)) {
      const items = field?.type === 'array' ? field.items : undefined;
      if (v.length === 0) out.push({ depth, label, value: '–' });
      else out.push({ depth, label, value: '' });
      v.forEach((item, i) => walk(`${path}.${i}`, items, item, depth + 1, `${i + 1}.`));
      return;
    }
    if (v !== null && typeof v === 'object') {
      out.push({ depth, label, value: '' });
      const props = field?.type === 'object' ? field.properties : undefined;
      for (const [k, sub] of ordered(props, v as Record<string, unknown>)) walk(`${path}.${k}`, props?.[k], sub, depth + 1, fieldTitle(service, `${path}.${k}`, language) ?? k);
      return;
    }
    out.push({ depth, label, value: value(field, v) });
  };
  for (const [k, v] of ordered(form?.properties, data)) walk(`data.${k}`, form?.properties[k], v, 0, fieldTitle(service, `data.${k}`, language) ?? k);
  return out;
}

/** The data's keys in the form's order (any the form does not know after them). */
function ordered(props: Readonly<Record<string, FormField>> | undefined, v: Record<string, unknown>): [string, unknown][] {
  const known = props ? Object.keys(props).filter((k) => Object.hasOwn(v, k)) : [];
  return [...known, ...Object.keys(v).filter((k) => !known.includes(k))].map((k) => [k, v[k]]);
}

/** Renders the summary of an errand as the caller may see it (`ErrandView`). */
export function renderErrandSummaryPdf(e: ErrandView, o: SummaryOptions): Promise<Buffer> {
  const lang = o.language;
  const t = SUMMARY_TEXTS[lang];
  const title = e.kind === 'party-request' ? t.partyRequestTitle : t.title;
  const { doc, txt, left, width, row, finish, ensure } = a4Page({ lang, title: `${title} ${e.ref}`, author: o.municipalityName, at: o.at, compress: o.compress, removedText: t.identityCodeRemoved });
  const formatInstant = (iso: string, language: Language) => instant(iso, language, SUMMARY_TEXTS[language].locale);
  const heading = (s: string) => {
    doc.moveDown(0.8);
    ensure(40);
    doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text(txt(s), left, doc.y, { width });
    doc.moveTo(left, doc.y + 2).lineTo(left + width, doc.y + 2).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.moveDown(0.4);
  };
  const para = (s: string, size = 10) => {
    doc.font('Helvetica').fontSize(size).fillColor('black');
    ensure(doc.heightOfString(txt(s), { width }));
    doc.text(txt(s), left, doc.y, { width });
    doc.moveDown(0.3);
  };

  // The heading: municipality, what this is, the service.
  doc.font('Helvetica-Bold').fontSize(11).fillColor('#333333').text(txt(o.municipalityName), left, doc.y, { width });
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(txt(title), { width });
  doc.font('Helvetica').fontSize(13).text(txt(e.serviceName[lang]), { width });
  doc.moveDown(0.8);

  row(t.reference, e.ref);
  row(t.service, e.serviceName[lang]);
  row(t.municipality, o.municipalityName);
  row(t.status, t.statuses[e.status]);
  row(t.created, formatInstant(e.createdAt, lang));
  if (e.submittedAt) row(t.sent, formatInstant(e.submittedAt, lang));
  row(t.updated, formatInstant(e.updatedAt, lang));
  if (e.deadline) row(t.deadline, formatDate(e.deadline, lang));

  heading(t.who);
  if (e.actor) row(t.applicant, e.actor.name);
  if (e.principal) row(t.actedFor, e.principal.name);
  if (e.actor) row(t.basis, e.basis ? t.bases[e.basis.kind as BasisKind] ?? e.basis.kind : t.noBasis);
  row(t.subject, e.subject.name);

  heading(t.parties);
  if (e.parties.length === 0) para(t.noParties);
  for (const p of e.parties) {
    const answer = [t.responses[p.response as PartyResponse] ?? p.response, p.answeredAt ? `(${t.answeredAt} ${formatInstant(p.answeredAt, lang)})` : '', p.represented ? `– ${t.represented}` : '']
      .filter(Boolean).join(' ');
    row(p.name, answer);
    if (p.declineReason) row(t.declineReason, p.declineReason, { indent: 12 });
  }

  if (e.document) {
    heading(t.document);
    row(t.documentTitle, e.document.title);
    if (e.document.summary) para(e.document.summary);
    row(t.documentDigest, e.document.sha256, { mono: true });
  }
  if (e.kind === 'errand') {
    heading(t.formData);
    for (const l of formDataLines(e.service, e.data, lang, t)) row(l.label, l.value, { indent: Math.min(l.depth, 4) * 12 });
  }

  heading(t.attachments);
  if (e.attachments.length === 0) para(t.noAttachments);
  for (const a of e.attachments) row(a.name, `${a.sha256}\n${a.contentType}, ${a.size.toLocaleString(t.locale)} B`, { mono: true });

  heading(t.version);
  row(t.versionNumber, String(e.version));
  row(t.hash, e.hash, { mono: true });
  para(t.hashNote, 8.5);

  if (e.informationRequest) {
    heading(t.informationRequest);
    row(t.askedAt, formatInstant(e.informationRequest.at, lang));
    para(e.informationRequest.text);
    if (e.informationRequest.answeredAt) row(t.answered, formatInstant(e.informationRequest.answeredAt, lang));
  }
  if (e.decision) {
    heading(t.decision);
    row(t.outcome, t.outcomes[e.decision.outcome]);
    row(t.decidedAt, formatInstant(e.decision.at, lang));
    para(e.decision.text);
  }

  // Every page's foot: the reference, when printed, the page number.
  return finish((n, of) => `${e.ref} · ${t.generated} ${formatInstant(o.at.toISOString(), lang)} · ${t.page} ${n}/${of}`);
}
