import { canonicalJson } from './audit-chain.js';

export interface CodedItem { code: string; [field: string]: unknown }
export interface ListDiff {
  added: string[];
  removed: string[];
  changed: { code: string; fields: Record<string, { from: unknown; to: unknown }> }[];
}

/** What changed between two versions of a list of coded items (service classes, issues, bundles). */
export function diffCoded(from: readonly CodedItem[], to: readonly CodedItem[]): ListDiff {
  const before = new Map(from.map((x) => [x.code, x]));
  const after = new Map(to.map((x) => [x.code, x]));
  const out: ListDiff = { added: [], removed: [], changed: [] };
  for (const code of after.keys()) if (!before.has(code)) out.added.push(code);
  for (const code of before.keys()) if (!after.has(code)) out.removed.push(code);
  for (const [code, b] of after) {
    const a = before.get(code);
    if (!a) continue;
    const fields: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (canonicalJson(a[f]) !== canonicalJson(b[f])) fields[f] = { from: a[f] ?? null, to: b[f] ?? null };
    }
    if (Object.keys(fields).length) out.changed.push({ code, fields });
  }
  return out;
}
