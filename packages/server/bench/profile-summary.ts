/**
 * A V8 CPU profile (`.cpuprofile`, from node --cpu-prof or node:inspector) summarised: self time
 * grouped by package (npm package, our workspace, Node's internals, V8's own: GC, idle, program)
 * and the functions with the most self time. `npx tsx packages/server/bench/profile-summary.ts FILE`
 * prints the summary of a saved profile.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The package a script URL belongs to. */
export function packageOf(url: string, functionName: string, root = ''): string {
  if (!url) return functionName === '(garbage collector)' ? '(garbage collector)' : functionName === '(idle)' ? '(idle)' : functionName === '(program)' ? '(program)' : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const rel = root && path.startsWith(root) ? path.slice(root.length) : path;
  const ws = /^packages\/([^/]+)\/(src|bench)\/(.*)$/.exec(rel);
  if (ws) return `@puolesta/${ws[1]}${ws[2] === 'bench' ? ' (bench)' : ''}`;
  return rel;
}

export function summariseProfile(p: CpuProfile, root = '') {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Self time from the samples and their time deltas (microseconds).
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, { function: string; package: string; location: string; us: number }>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const pkg = packageOf(n.callFrame.url, n.callFrame.functionName, root);
    total += us;
    if (pkg === '(idle)') { idle += us; continue; }
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const location = `${(root && n.callFrame.url.includes(root) ? n.callFrame.url.slice(n.callFrame.url.indexOf(root) + root.length) : n.callFrame.url.replace(/^.*\/node_modules\//, '')) || '-'}:${n.callFrame.lineNumber + 1}`;
    const key = `${n.callFrame.functionName}@${location}`;
    const f = functions.get(key) ?? { function: n.callFrame.functionName || '(anonymous)', package: pkg, location, us: 0 };
    f.us += us;
    functions.set(key, f);
  }
  const busy = total - idle;
  const pct = (us: number) => Math.round((us / busy) * 1000) / 10;
  return {
    seconds: Math.round(total / 1e4) / 100,
    busyShare: Math.round((busy / total) * 100) / 100,
    note: 'percent of busy (non-idle) self time of the server process',
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => ({ package: pkg, percent: pct(us) })),
    topFunctions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, 30).map((f) => ({ function: f.function, package: f.package, location: f.location, percent: pct(f.us) })),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const s = summariseProfile(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuProfile, root);
  console.log(JSON.stringify(s, null, 2));
}
