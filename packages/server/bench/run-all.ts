/**
 * `npm run bench [-- --quick]`: every benchmark, one after another, then bench/results/report.md.
 *
 * BENCHMARKS is the list: a root package.json script that does not exist (yet) is skipped, so the
 * list may name benchmarks other work adds. A benchmark that fails is reported and the rest still
 * run; the exit code says whether all ran. `--quick`: each at a small size (QUICK's arguments), to
 * show it works, not for figures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Scripts to run, in order, with the arguments of a quick run. Add a benchmark here. */
export const BENCHMARKS: { script: string; quick: string[] }[] = [
  { script: 'bench:check', quick: ['--persons', '20000', '--duration', '3'] },
  { script: 'bench:index', quick: [] },
  { script: 'bench:notify', quick: ['--messages', '500', '--grants', '40'] },
  { script: 'bench:errands', quick: ['--iterations', '30', '--warmup', '5'] },
  { script: 'load', quick: [] },
  { script: 'faults', quick: [] },
];

const quick = process.argv.includes('--quick');
const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
// Any other bench:* script someone adds runs too, after the listed ones.
const listed = new Set(BENCHMARKS.map((b) => b.script));
const extra = Object.keys(scripts).filter((s) => s.startsWith('bench:') && !listed.has(s) && s !== 'bench:report').map((script) => ({ script, quick: [] as string[] }));

const outcome: { script: string; result: string }[] = [];
for (const b of [...BENCHMARKS, ...extra]) {
  if (!scripts[b.script]) { outcome.push({ script: b.script, result: 'skipped (no such script)' }); continue; }
  const args = ['run', b.script, ...(quick && b.quick.length ? ['--', ...b.quick] : [])];
  console.error(`\n[bench] npm ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
  outcome.push({ script: b.script, result: r.status === 0 ? `ok (${Math.round((Date.now() - started) / 1000)} s)` : `FAILED (exit ${r.status ?? r.signal})` });
}
const report = spawnSync('npm', ['run', 'bench:report'], { cwd: ROOT, stdio: 'inherit' });
console.error('\n[bench] summary');
for (const o of outcome) console.error(`  ${o.script.padEnd(16)} ${o.result}`);
process.exit(outcome.some((o) => o.result.startsWith('FAILED')) || report.status !== 0 ? 1 : 0);
