/**
 * The receipt of a mandate (issue 10, item 5): a PDF (pdfkit, A4, its standard Helvetica in
 * WinAnsi) in Finnish, Swedish or English. Who gave the mandate to whom, in which matters, for
 * how long, limited to which municipality or property, its status and reference; for a paper
 * registration the municipality that registered it and when. Names only: never an identity code
 * (anything shaped like one in a text is blanked out). Every text is in the table below.
 */
import type { MandateStatus } from '@puolesta/domain';
import { a4Page, formatInstant as instant } from './pdf.js';
import { formatDate } from '../notifications/templates.js';
import type { Language } from '../notifications/types.js';

export const RECEIPT_LANGUAGES = ['fi', 'sv', 'en'] as const satisfies readonly Language[];

export interface ReceiptTexts {
  locale: string;
  title: string;
  reference: string;
  status: string;
  principal: string;
  agent: string;
  matters: string;
  validity: string;
  oneOff: string;
  oneOffYes: string;
  municipality: string;
  anyMunicipality: string;
  property: string;
  anyProperty: string;
  source: string;
  created: string;
  paper: string;
  registeredBy: string;
  registeredOn: string;
  documentReference: string;
  signedOn: string;
  generated: string;
  page: string;
  identityCodeRemoved: string;
  note: string;
  statuses: Record<MandateStatus, string>;
  sources: Record<'electronic' | 'request' | 'paper', string>;
}

export const RECEIPT_TEXTS: Record<Language, ReceiptTexts> = {
  fi: {
    locale: 'fi-FI',
    title: 'Kuitti valtuutuksesta',
    reference: 'Viite',
    status: 'Tila',
    principal: 'Valtuuttaja',
    agent: 'Valtuutettu',
    matters: 'Asiat',
    validity: 'Voimassa',
    oneOff: 'Kertakäyttöinen',
    oneOffYes: 'Kyllä – päättyy, kun sitä on käytetty kerran',
    municipality: 'Kunta',
    anyMunicipality: 'Kaikki kunnat',
    property: 'Kiinteistö',
    anyProperty: 'Ei rajattu kiinteistöön',
    source: 'Miten annettu',
    created: 'Kirjattu',
    paper: 'Paperivaltakirja',
    registeredBy: 'Kirjannut kunta',
    registeredOn: 'Kirjattu',
    documentReference: 'Valtakirjan viite',
    signedOn: 'Allekirjoitettu',
    generated: 'Tulostettu',
    page: 'Sivu',
    identityCodeRemoved: '[tunnus poistettu]',
    note: 'Tämä kuitti kertoo valtuutuksen tiedot tulostushetkellä. Valtuutuksen voimassaolon voi tarkistaa Puolesta-palvelusta.',
    statuses: {
      active: 'Voimassa', requested: 'Odottaa hyväksyntää', rejected: 'Hylätty', revoked: 'Peruttu', renounced: 'Luovuttu',
      expired: 'Päättynyt', consumed: 'Käytetty',
    },
    sources: { electronic: 'Annettu sähköisesti', request: 'Annettu pyynnöstä', paper: 'Kirjattu paperivaltakirjasta' },
  },
  sv: {
    locale: 'sv-FI',
    title: 'Kvitto på fullmakt',
    reference: 'Referens',
    status: 'Status',
    principal: 'Fullmaktsgivare',
    agent: 'Fullmaktshavare',
    matters: 'Ärenden',
    validity: 'Giltig',
    oneOff: 'Engångsfullmakt',
    oneOffYes: 'Ja – upphör när den har använts en gång',
    municipality: 'Kommun',
    anyMunicipality: 'Alla kommuner',
    property: 'Fastighet',
    anyProperty: 'Inte begränsad till en fastighet',
    source: 'Hur den gavs',
    created: 'Registrerad',
    paper: 'Fullmakt på papper',
    registeredBy: 'Registrerad av kommunen',
    registeredOn: 'Registrerad',
    documentReference: 'Fullmaktens referens',
    signedOn: 'Undertecknad',
    generated: 'Utskriven',
    page: 'Sida',
    identityCodeRemoved: '[beteckning borttagen]',
    note: 'Detta kvitto visar fullmaktens uppgifter när det skrevs ut. Om fullmakten fortfarande gäller kan du kontrollera i tjänsten Puolesta.',
    statuses: {
      active: 'Giltig', requested: 'Väntar på godkännande', rejected: 'Avslagen', revoked: 'Återkallad', renounced: 'Avsagd',
      expired: 'Upphört', consumed: 'Använd',
    },
    sources: { electronic: 'Given elektroniskt', request: 'Given på begäran', paper: 'Registrerad från en fullmakt på papper' },
  },
  en: {
    locale: 'en-GB',
    title: 'Mandate receipt',
    reference: 'Reference',
    status: 'Status',
    principal: 'Given by',
    agent: 'Given to',
    matters: 'Matters',
    validity: 'Valid',
    oneOff: 'One-off',
    oneOffYes: 'Yes – it ends once it has been used',
    municipality: 'Municipality',
    anyMunicipality: 'All municipalities',
    property: 'Property',
    anyProperty: 'Not limited to a property',
    source: 'How it was given',
    created: 'Recorded',
    paper: 'Paper power of attorney',
    registeredBy: 'Registered by the municipality of',
    registeredOn: 'Registered on',
    documentReference: 'Document reference',
    signedOn: 'Signed on',
    generated: 'Printed',
    page: 'Page',
    identityCodeRemoved: '[code removed]',
    note: 'This receipt shows the mandate as it was when printed. You can check whether it is still valid in the Puolesta service.',
    statuses: {
      active: 'Valid', requested: 'Waiting for approval', rejected: 'Rejected', revoked: 'Revoked', renounced: 'Renounced',
      expired: 'Ended', consumed: 'Used',
    },
    sources: { electronic: 'Given online', request: 'Given on request', paper: 'Registered from a paper power of attorney' },
  },
};

/** What the receipt shows, already in the reader's language (names, not codes). */
export interface ReceiptData {
  reference: string;
  status: MandateStatus;
  principal: string;
  agent: string;
  matters: string[];
  validFrom: string;
  validUntil: string;
  oneOff: boolean;
  /** The municipality it is limited to, by name (null: any). */
  municipality: string | null;
  /** The property it is limited to, by address (null: none). */
  property: string | null;
  source: 'electronic' | 'request' | 'paper';
  createdAt: string;
  paper?: { municipality: string; registeredAt: string; reference?: string; signedOn?: string };
}

export interface ReceiptOptions { language: Language; at: Date; compress?: boolean }

export function renderMandateReceiptPdf(r: ReceiptData, o: ReceiptOptions): Promise<Buffer> {
  const lang = o.language;
  const t = RECEIPT_TEXTS[lang];
  const { doc, txt, left, width, row, finish } = a4Page({ lang, title: `${t.title} ${r.reference}`, at: o.at, compress: o.compress, removedText: t.identityCodeRemoved });
  const formatInstant = (iso: string, language: Language) => instant(iso, language, RECEIPT_TEXTS[language].locale);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(txt(t.title), left, doc.y, { width });
  doc.moveDown(0.8);
  row(t.reference, r.reference);
  row(t.status, t.statuses[r.status] ?? r.status);
  row(t.principal, r.principal);
  row(t.agent, r.agent);
  row(t.matters, r.matters.join('\n'));
  row(t.validity, `${formatDate(r.validFrom, lang)} – ${formatDate(r.validUntil, lang)}`);
  if (r.oneOff) row(t.oneOff, t.oneOffYes);
  row(t.municipality, r.municipality ?? t.anyMunicipality);
  row(t.property, r.property ?? t.anyProperty);
  row(t.source, t.sources[r.source] ?? r.source);
  row(t.created, formatInstant(r.createdAt, lang));
  if (r.paper) {
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text(txt(t.paper), left, doc.y, { width });
    doc.moveDown(0.3);
    row(t.registeredBy, r.paper.municipality);
    row(t.registeredOn, formatInstant(r.paper.registeredAt, lang));
    if (r.paper.reference) row(t.documentReference, r.paper.reference);
    if (r.paper.signedOn) row(t.signedOn, formatDate(r.paper.signedOn, lang));
  }
  doc.moveDown(0.8);
  doc.font('Helvetica').fontSize(9).fillColor('#333333').text(txt(t.note), left, doc.y, { width });

  // Every page's foot: the reference, when printed, the page number.
  return finish((n, of) => `${r.reference} · ${t.generated} ${formatInstant(o.at.toISOString(), lang)} · ${t.page} ${n}/${of}`);
}
