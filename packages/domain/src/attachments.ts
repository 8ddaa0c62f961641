/**
 * An errand's attachments: which files are taken, and what they are. The type is decided by the
 * file's content (its magic bytes), never by the name or the type the sender declared: a program
 * declared as application/pdf is still a program. Pure functions over bytes and text.
 */
import { withoutIdentityCodes } from './identity.js';

/** What an errand takes, by the type its content shows. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'text/plain'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** At most this many attachments on an errand at a time (removed ones do not count). */
export const MAX_ATTACHMENTS = 10;
/** Each file at most this many bytes unless configured otherwise (`PUOLESTA_ATTACHMENT_MAX_BYTES`). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** A file name's length, in characters. */
export const MAX_ATTACHMENT_NAME = 200;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const PDF = ascii('%PDF-');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = ascii('IHDR');
const JPEG = [0xff, 0xd8, 0xff];

/**
 * The type the content shows, or null when it is none of the accepted ones (or empty).
 * PDF: `%PDF-` and a version digit; PNG: the 8-byte signature and the IHDR chunk first; JPEG: the
 * SOI marker and a marker after it; text: valid UTF-8 (a BOM allowed) without NUL or other control
 * characters than tab, line feed, form feed and carriage return.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, PDF) && bytes.length > PDF.length && bytes[PDF.length]! >= 0x30 && bytes[PDF.length]! <= 0x39) return 'application/pdf';
  if (startsWith(bytes, PNG) && startsWith(bytes, IHDR, 12)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  return isPlainText(bytes) ? 'text/plain' : null;
}

function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return false;
  }
  // Tab, LF, FF and CR are text; NUL and the other C0 controls (and DEL) are not.
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

/**
 * The name an attachment is kept under, from the name the sender gave: the last path segment,
 * spaces trimmed, and anything shaped like an identity code blanked out (the name travels to the
 * timeline, the usage log and the printed summary, where identity codes never go). Null when the
 * name is empty, too long or holds control characters.
 */
export function attachmentName(given: string): string | null {
  const base = given.split(/[\\/]/).at(-1)!.normalize('NFC').trim();
  if (base.length === 0 || [...base].length > MAX_ATTACHMENT_NAME) return null;
  if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(base) || base === '.' || base === '..') return null;
  return withoutIdentityCodes(base, (m) => m.replace(/[0-9A-Z]/gi, 'x'));
}

/** The file name extensions that fit each type (a download gets the first when its name has none of them). */
export const ATTACHMENT_EXTENSIONS: Readonly<Record<AttachmentType, readonly string[]>> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'text/plain': ['.txt', '.text', '.csv', '.md', '.log'],
};

/** The name a download is saved under: the attachment's, with the type's extension added when it has another (a text file called page.html saves as page.html.txt). */
export function downloadName(name: string, type: AttachmentType): string {
  const lower = name.toLowerCase();
  return ATTACHMENT_EXTENSIONS[type].some((x) => lower.endsWith(x)) ? name : `${name}${ATTACHMENT_EXTENSIONS[type][0]}`;
}
