/**
 * `npm run bench:index-memory [-- --persons N] [--seed S]`
 *
 * The authorization index's memory at a given size without a database: the generator's population
 * (the same as `npm run generate`, same seed → same data) is turned into the snapshot's COPY text lines
 * in this process and fed to the index's own loader (AuthorizationIndex.loadFrom). Memory after a forced
 * GC, as growth over the process before: JavaScript heap and typed arrays. The load time here is the
 * generator's plus the parser's, not a database load (that is `npm run bench:index`).
 * Writes bench/results/index-memory.json with report rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { helsinkiDate } from '@puolesta/domain';
import { openDatabase } from '../src/db/database.js';
import { generateBatches } from '../src/registers/generate.js';
import { copyLine } from '../src/repositories/authz.repository.js';
import { AuthorizationIndex } from '../src/services/authorization-index.js';
import { arrayText, dayNumber } from '../src/services/compact-index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const persons = Number((opt('--persons') ?? '5600000').replace(/_/g, ''));
const seed = opt('--seed') ?? '1';
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const mem = () => { gc(); gc(); const m = process.memoryUsage(); return { heap: m.heapUsed, arrays: m.arrayBuffers }; };

// A handle only for the index's constructor (channel name); nothing is read from it.
const h = await openDatabase({ dataDir: 'memory://' });
const index = new AuthorizationIndex(h);
const before = mem();
const t0 = performance.now();
const counts = { persons: 0, organizations: 0, mandates: 0, guardianships: 0, courtGuardianships: 0, organizationRoles: 0 };
await index.loadFrom(async (reader) => {
  reader.estimates({ persons, organizations: Math.round(persons / 40), mandates: 2 * persons, guardianships: 0, courtGuardianships: 0, organizationRoles: 0 });
  let court = 0;
  for (const b of generateBatches({ persons, seed, referenceDate: helsinkiDate(Date.now()) }, 50_000)) {
    for (const p of b.persons) { reader.line('persons', copyLine([p.id])); counts.persons++; }
    for (const g of b.guardianships) { reader.line('guardianships', copyLine([g.guardian, g.child])); counts.guardianships++; }
    for (const c of b.courtGuardianships) { reader.line('courtGuardianships', copyLine([++court, c.guardian, c.ward, arrayText(c.scope), c.validUntil])); counts.courtGuardianships++; }
    for (const o of b.organizations) {
      reader.line('organizations', copyLine([o.id])); counts.organizations++;
      for (const r of o.roles) { reader.line('organizationRoles', copyLine([r.person, o.id, r.role, r.signing])); counts.organizationRoles++; }
    }
    for (const m of b.mandates) {
      reader.line('mandates', copyLine([m.agentType === 'person' ? 'p' : 'o', m.agent, m.principalType === 'person' ? 'p' : 'o', m.principal, m.key, arrayText(m.issues),
        dayNumber(m.validFrom), dayNumber(m.validUntil), m.status, m.oneOff ?? false, m.target?.id ?? null, m.municipality ?? null]));
      counts.mandates++;
    }
  }
  return 1;
});
const seconds = (performance.now() - t0) / 1000;
const after = mem();
const heapMiB = Math.round((after.heap - before.heap) / 2 ** 20);
const arraysMiB = Math.round((after.arrays - before.arrays) / 2 ** 20);
const sizes = index.sizes();
console.log(`index from the generator: ${counts.persons} persons, ${counts.mandates} mandates, ${counts.guardianships} guardianships, ${counts.organizationRoles} roles`);
console.log(`  heap +${heapMiB} MiB, typed arrays +${arraysMiB} MiB, total ${heapMiB + arraysMiB} MiB (typed arrays by the index's own count: ${Math.round(index.arrayBytes() / 2 ** 20)} MiB); generated and loaded in ${seconds.toFixed(0)} s`);
const national = persons >= 5_600_000;
const result = {
  date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version, loadAverage1m: Math.round(loadavg()[0]! * 10) / 10 },
  data: { persons, seed, counts, sizes }, memoryMiB: { heap: heapMiB, typedArrays: arraysMiB, total: heapMiB + arraysMiB }, generateAndLoadSeconds: Math.round(seconds),
  command: `npm run bench:index-memory -- --persons ${persons}`,
  report: [{
    figure: `index memory from the generator, ${(persons / 1e6).toLocaleString('en')} M persons / ${(counts.mandates / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} M mandates (heap ${heapMiB} MiB + typed arrays ${arraysMiB} MiB)`,
    value: heapMiB + arraysMiB, unit: 'MiB', baseline: persons === 1_000_000 ? 'before decision 0019: ~1.1 GB heap' : 'before decision 0019: ~5–6 GB projected', goal: national ? '≤ 2048 MiB' : '',
    met: national ? heapMiB + arraysMiB <= 2048 : null,
  }],
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/index-memory.json`, `${JSON.stringify(result, null, 2)}\n`);
await h.close();
