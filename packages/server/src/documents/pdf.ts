/**
 * What Puolesta's PDF documents (the errand summary, the mandate receipt) share: an A4 page with the
 * house margins, the text as the standard fonts can print it without identity codes, a label and its
 * value side by side, and an instant in Finnish time as the reader's language writes it.
 */
import PDFDocument from 'pdfkit';
import { helsinkiDate, withoutIdentityCodes } from '@puolesta/domain';
import { winAnsi } from '../notifications/channels/paper.js';
import { formatDate } from '../notifications/templates.js';
import type { Language } from '../notifications/types.js';

export interface PdfPage {
  doc: PDFKit.PDFDocument;
  /** The finished file, once `doc.end()` has been called. */
  done: Promise<Buffer>;
  /** Text as the standard fonts can print it, any identity code replaced by `removedText`. */
  txt(s: string): string;
  left: number;
  width: number;
  /** A label and its value side by side; `mono` for digests, `indent` for a sub-row. */
  row(label: string, value: string, opts?: { mono?: boolean; indent?: number }): void;
  /** Room for `h` more points on this page, else a new page. */
  ensure(h: number): void;
  /** Every page's foot (the reference, when printed, page n/m), then the file. */
  finish(foot: (page: number, pages: number) => string): Promise<Buffer>;
}

const LABEL_WIDTH = 150;

export function a4Page(o: { lang: Language; title: string; author?: string; at: Date; compress?: boolean; removedText: string }): PdfPage {
  const txt = (s: string) => winAnsi(withoutIdentityCodes(s, o.removedText));
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 56, bottom: 64, left: 56, right: 56 }, compress: o.compress ?? true, lang: o.lang, bufferPages: true,
    info: { Title: txt(o.title), ...(o.author ? { Author: txt(o.author) } : {}), Producer: 'Puolesta', Creator: 'Puolesta', CreationDate: o.at },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const ensure = (h: number) => { if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage(); };
  const row = (label: string, value: string, opts: { mono?: boolean; indent?: number } = {}) => {
    const indent = opts.indent ?? 0;
    const lw = LABEL_WIDTH - indent;
    const vx = left + LABEL_WIDTH + 8;
    const vw = width - LABEL_WIDTH - 8;
    const valueFont = opts.mono ? 'Courier' : 'Helvetica';
    // Courier at 8 pt: a 64-character digest fits the value column on one line.
    const valueSize = opts.mono ? 8 : 10;
    doc.font('Helvetica-Bold').fontSize(9);
    const lh = doc.heightOfString(txt(label), { width: lw });
    doc.font(valueFont).fontSize(valueSize);
    const vh = value ? doc.heightOfString(txt(value), { width: vw }) : 0;
    ensure(Math.max(lh, vh));
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#333333').text(txt(label), left + indent, y, { width: lw });
    if (value) doc.font(valueFont).fontSize(valueSize).fillColor('black').text(txt(value), vx, y, { width: vw });
    doc.x = left;
    doc.y = y + Math.max(lh, vh) + 4;
  };
  const finish = (foot: (page: number, pages: number) => string) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const y = doc.page.height - doc.page.margins.bottom + 24;
      doc.page.margins.bottom = 0;
      doc.font('Helvetica').fontSize(8).fillColor('#555555').text(txt(foot(i - range.start + 1, range.count)), left, y, { width, align: 'center', lineBreak: false });
    }
    doc.end();
    return done;
  };
  return { doc, done, txt, left, width, row, ensure, finish };
}

const TIME = new Map<string, Intl.DateTimeFormat>();
/** An instant in Finnish time: the date as the language writes it, and hours:minutes. */
export function formatInstant(iso: string, language: Language, locale: string): string {
  let f = TIME.get(locale);
  if (!f) TIME.set(locale, (f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Helsinki' })));
  const d = new Date(iso);
  return `${formatDate(helsinkiDate(d), language)} ${f.format(d).replace('.', ':')}`;
}
