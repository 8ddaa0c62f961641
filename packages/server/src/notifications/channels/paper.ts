/**
 * Paper letters: a PDF (pdfkit, A4) sent to the municipality's print service.
 *
 * The print service protocol is ours — print services differ per municipality, and each is put
 * behind this small HTTP interface:
 *
 *   POST {baseUrl}/v1/print-jobs                     (Authorization: Bearer <token>, when one is set)
 *   Content-Type: multipart/form-data
 *     file      application/pdf — the letter, one A4 document
 *     metadata  JSON: { externalId, municipality, recipientName, language, subject }
 *               externalId = the message's idempotency key (1–256 characters)
 *   → 201 { jobId }          the job is accepted for printing
 *   → 409 { jobId }          this externalId was accepted before: the earlier job (a success)
 *   → 400 { reason }         metadata missing or invalid      → unavailable (it will not print)
 *   → 413 / 415 { reason }   file too large / not a PDF       → unavailable
 *   → 401 / 403, 429, 5xx    passing or configuration faults  → retry
 *
 * The print service finds the postal address itself (from the population register); the letter
 * and the metadata carry names only, never an identity code.
 */
import PDFDocument from 'pdfkit';
import type { ChannelAdapter, DeliveryResult, Language, OutgoingMessage } from '../types.js';

type Fetch = typeof globalThis.fetch;

export interface RenderLetterOptions {
  /** The letter's date (default now). */
  date?: Date;
  /** Compress the PDF's streams (default true; tests turn it off to read the text). */
  compress?: boolean;
}

const LABELS: Record<Language, { locale: string; link: string; fallbackSender: string }> = {
  fi: { locale: 'fi-FI', link: 'Lue lisää ja katso valtuutesi osoitteessa:', fallbackSender: 'Puolesta-palvelu' },
  sv: { locale: 'sv-FI', link: 'Läs mer och se dina fullmakter på adressen:', fallbackSender: 'Tjänsten Puolesta' },
  en: { locale: 'en-GB', link: 'Read more and see your mandates at:', fallbackSender: 'The Puolesta service' },
};

/** pdfkit's standard fonts use WinAnsi: å ä ö (and é, š, ž…) print; other characters become '?'. */
export function winAnsi(text: string): string {
  return text.replace(/[\u2010-\u2015]/g, '-').replace(/\u2192/g, '->').replace(/\u2190/g, '<-').replace(/[^\n\r\t\x20-\x7E\xA0-\xFF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/g, '?');
}

/** Renders the letter: sender municipality, recipient's name, date, the subject as a heading, the text and the link. */
export function renderLetterPdf(m: OutgoingMessage, opts: RenderLetterOptions = {}): Promise<Buffer> {
  const labels = LABELS[m.language] ?? LABELS.fi;
  const sender = m.recipient.municipalityName ?? labels.fallbackSender;
  const date = new Intl.DateTimeFormat(labels.locale, { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'Europe/Helsinki' }).format(opts.date ?? m.sentAt ?? new Date());
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 64, right: 64 },
    compress: opts.compress ?? true,
    lang: m.language,
    info: { Title: winAnsi(m.subject), Author: winAnsi(sender), Producer: 'Puolesta', Creator: 'Puolesta' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('Helvetica-Bold').fontSize(12).text(winAnsi(sender), { width });
  doc.moveDown(2);
  // The recipient's name where a window envelope shows it.
  doc.font('Helvetica').fontSize(11).text(winAnsi(m.recipient.name), { width: width / 2 });
  doc.text(date, doc.page.margins.left, doc.page.margins.top, { width, align: 'right' });
  doc.moveDown(6);
  doc.x = doc.page.margins.left;
  doc.font('Helvetica-Bold').fontSize(15).text(winAnsi(m.subject), { width });
  doc.moveDown(1);
  doc.font('Helvetica').fontSize(11).text(winAnsi(m.text), { width, lineGap: 2 });
  doc.moveDown(1.5);
  doc.text(labels.link, { width });
  doc.font('Helvetica-Bold').text(winAnsi(m.link), { width, link: m.link, underline: false });
  doc.end();
  return done;
}

export interface PaperChannelOptions {
  baseUrl: string;
  token?: string;
  fetch?: Fetch;
  /** Milliseconds per request (default 30 s). */
  timeoutMs?: number;
}

export function createPaperChannel(opts: PaperChannelOptions): ChannelAdapter {
  const doFetch: Fetch = opts.fetch ?? globalThis.fetch;
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    channel: 'paper',
    async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
      if (!m.recipient.name.trim()) return { status: 'unavailable', reason: 'NO_RECIPIENT_NAME' };
      let pdf: Buffer;
      try {
        pdf = await renderLetterPdf(m);
      } catch {
        return { status: 'retry', reason: 'PDF_RENDERING_FAILED' };
      }
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `${m.idempotencyKey}.pdf`);
      form.append(
        'metadata',
        JSON.stringify({
          externalId: m.idempotencyKey,
          municipality: m.senderMunicipality ?? m.recipient.municipality,
          recipientName: m.recipient.name,
          language: m.language,
          subject: m.subject,
        }),
      );
      let res: Response;
      try {
        res = await doFetch(`${base}/v1/print-jobs`, {
          method: 'POST',
          headers: { accept: 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
          body: form,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (e) {
        const code = (e as { cause?: { code?: unknown } })?.cause?.code;
        return { status: 'retry', reason: `NETWORK_ERROR (${typeof code === 'string' ? code : (e as Error)?.name ?? 'fetch failed'})` };
      }
      const body = (await res.json().catch(() => null)) as { jobId?: unknown } | null;
      if ((res.status === 201 || res.status === 200 || res.status === 409) && (typeof body?.jobId === 'string' || typeof body?.jobId === 'number')) {
        return { status: 'delivered', providerId: String(body.jobId) };
      }
      if (res.status === 400 || res.status === 413 || res.status === 415 || res.status === 422) {
        return { status: 'unavailable', reason: `REJECTED (HTTP ${res.status})` };
      }
      return { status: 'retry', reason: `HTTP ${res.status}` };
    },
  };
}
