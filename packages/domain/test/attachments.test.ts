import { describe, expect, it } from 'vitest';
import { attachmentName, downloadName, sniffAttachmentType } from '../src/index.js';

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffAttachmentType: the content decides', () => {
  it('knows PDF, PNG, JPEG and UTF-8 text by their bytes', () => {
    expect(sniffAttachmentType(bytes('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffAttachmentType(bytes(PNG_SIG, [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1]))).toBe('image/png');
    expect(sniffAttachmentType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniffAttachmentType(new TextEncoder().encode('Hakemus: pihasauna 12 m², Åbo\r\n\tok'))).toBe('text/plain');
    expect(sniffAttachmentType(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('text/plain');
  });
  it('refuses programs, archives, a PNG signature without its header, broken UTF-8, NULs and nothing', () => {
    expect(sniffAttachmentType(bytes('MZ', [0x90, 0, 3, 0]))).toBeNull();
    expect(sniffAttachmentType(bytes('PK', [3, 4, 20, 0]))).toBeNull();
    expect(sniffAttachmentType(bytes([0x7f], 'ELF'))).toBeNull();
    expect(sniffAttachmentType(bytes(PNG_SIG, [0, 0, 0, 13], 'tEXt'))).toBeNull();
    expect(sniffAttachmentType(new Uint8Array([0x61, 0xc3]))).toBeNull();
    expect(sniffAttachmentType(bytes('text', [0], 'more'))).toBeNull();
    expect(sniffAttachmentType(bytes('bell', [7]))).toBeNull();
    expect(sniffAttachmentType(new Uint8Array())).toBeNull();
  });
});

describe('attachmentName', () => {
  it('keeps the last path segment, trimmed, and blanks identity codes', () => {
    expect(attachmentName('  C:\\Users\\aino\\valtakirja.pdf ')).toBe('valtakirja.pdf');
    expect(attachmentName('../../etc/passwd')).toBe('passwd');
    expect(attachmentName('valtakirja 210170-904K.pdf')).toBe('valtakirja xxxxxx-xxxx.pdf');
    expect(attachmentName('lasku-2026-12.pdf')).toBe('lasku-2026-12.pdf');
  });
  it('refuses empty, overlong and control-character names', () => {
    expect(attachmentName('   ')).toBeNull();
    expect(attachmentName('dir/')).toBeNull();
    expect(attachmentName('a'.repeat(201))).toBeNull();
    expect(attachmentName('a'.repeat(200))).toBe('a'.repeat(200));
    expect(attachmentName('rivi\nvaihto.txt')).toBeNull();
    expect(attachmentName('..')).toBeNull();
  });
  it('a download gets the extension its type has', () => {
    expect(downloadName('sivu.html', 'text/plain')).toBe('sivu.html.txt');
    expect(downloadName('Kuva.JPEG', 'image/jpeg')).toBe('Kuva.JPEG');
    expect(downloadName('skannaus', 'application/pdf')).toBe('skannaus.pdf');
  });
});
