import { inflateSync } from 'node:zlib';

/** The text pdfkit drew: every content stream inflated, the strings of its text operators decoded (WinAnsi ≈ Latin-1). */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  // pdfkit writes `stream\n<data>\nendstream`; the data's own last byte may be a CR, so try it with and without one.
  for (const m of pdf.toString('latin1').matchAll(/\bstream\r?\n([\s\S]*?)(\r?)\nendstream/g)) {
    let content: string | null = null;
    for (const data of [m[1]! + m[2]!, m[1]!]) {
      try { content = inflateSync(Buffer.from(data, 'latin1')).toString('latin1'); break; } catch { /* the other reading */ }
    }
    if (content === null) continue;
    for (const op of content.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hex = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!).join('') : op[2]!;
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}
