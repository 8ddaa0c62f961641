/**
 * `npm run bench:report`: bench/results/report.md from the `report` rows of every
 * bench/results/*.json present (format: docs/decisions/0018-check-throughput.md), each figure
 * beside its baseline from the same run and its goal. `npm run bench` calls it after the benchmarks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ReportRow {
  figure: string;
  value: number | string;
  unit?: string;
  baseline?: string;
  goal?: string;
  met?: boolean | null;
}

interface Source { name: string; date?: string; rows: ReportRow[]; note?: string }

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const show = (v: number | string) => (typeof v === 'number' ? v.toLocaleString('en', { maximumFractionDigits: 2 }) : v);
const mark = (met: boolean | null | undefined) => (met === true ? '✅ met' : met === false ? '❌ missed' : '–');

/** The report's Markdown from the sources, in their order. */
export function renderReport(sources: Source[], generatedAt = new Date()): string {
  const out: string[] = [
    '# Puolesta benchmark report',
    '',
    `Generated ${generatedAt.toISOString()} by \`npm run bench:report\` from bench/results/*.json (each benchmark's \`report\` rows). ` +
      'Each figure stands beside its baseline measured in the same run, and its goal.',
    '',
  ];
  const all = sources.flatMap((s) => s.rows);
  const met = all.filter((r) => r.met === true).length;
  const missed = all.filter((r) => r.met === false);
  out.push(`**${met} of ${met + missed.length} goals met**${missed.length ? ` — missed: ${missed.map((r) => r.figure).join('; ')}` : ''}.`, '');
  for (const s of sources) {
    out.push(`## ${s.name}`, '', `${s.date ? `Run ${s.date}. ` : ''}From \`bench/results/${s.name}.json\`.${s.note ? ` ${s.note}` : ''}`, '');
    if (s.rows.length === 0) {
      out.push('_No `report` rows in this file (written by an older version of the benchmark: run it again)._', '');
      continue;
    }
    out.push('| figure | value | baseline (same run) | goal | |', '|---|---|---|---|---|');
    for (const r of s.rows) out.push(`| ${esc(r.figure)} | ${esc(`${show(r.value)}${r.unit ? ` ${r.unit}` : ''}`)} | ${esc(r.baseline ?? '')} | ${esc(r.goal ?? '')} | ${mark(r.met)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** Every bench/results/*.json with its rows (checked for shape: a row without figure or value is an error). */
export function readSources(dir: string): Source[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const j = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { date?: string; report?: unknown; data?: { persons?: number } };
    const rows = Array.isArray(j.report) ? (j.report as ReportRow[]) : [];
    for (const r of rows) if (typeof r.figure !== 'string' || (typeof r.value !== 'number' && typeof r.value !== 'string')) throw new Error(`${f}: a report row needs a figure (string) and a value (number or string): ${JSON.stringify(r)}`);
    return { name: f.replace(/\.json$/, ''), date: j.date, rows };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../../../bench/results', import.meta.url));
  const sources = readSources(dir);
  writeFileSync(`${dir}/report.md`, `${renderReport(sources)}\n`);
  console.log(`bench/results/report.md: ${sources.reduce((n, s) => n + s.rows.length, 0)} figures from ${sources.map((s) => s.name).join(', ') || 'no files'}`);
}
