/**
 * A generated population for a benchmark, in a schema of its own, reused while its size and seed match
 * (`bench_meta` in that schema records them). Also runnable alone to generate ahead of a benchmark:
 * `tsx packages/server/bench/bench-data.ts --persons 5600000 --schema bench_national`.
 */
import { helsinkiDate } from '@puolesta/domain';
import { openDatabase, sql, type DatabaseHandle } from '../src/db/database.js';
import pg from 'pg';
import { writePopulation } from '../src/registers/generate.js';

export interface BenchData { persons: number; mandates: number; seed: string; referenceDate: string; generationSeconds: number; reused: boolean }

const log = (...a: unknown[]) => console.error('[bench-data]', ...a);

/** Opens `schema` at `url` and makes sure it holds exactly the population asked for. */
export async function ensureBenchData(opts: { url: string; schema: string; persons: number; mandates: number; seed: string; regenerate?: boolean }): Promise<{ h: DatabaseHandle; data: BenchData }> {
  let h = await openDatabase({ url: opts.url, schema: opts.schema, poolSize: 4 });
  await sql.raw(`create table if not exists bench_meta (persons int not null, mandates int not null, seed text not null, reference_date text not null, seconds real not null)`).execute(h.db);
  const meta = (await sql<{ persons: number; mandates: number; seed: string; reference_date: string; seconds: number }>`select * from bench_meta`.execute(h.db)).rows[0];
  if (!opts.regenerate && meta && meta.persons === opts.persons && meta.mandates === opts.mandates && meta.seed === opts.seed) {
    log(`reusing ${opts.persons} persons / ${opts.mandates} mandates in schema ${opts.schema} (generated for ${meta.reference_date}); --regenerate to redo`);
    return { h, data: { persons: opts.persons, mandates: opts.mandates, seed: opts.seed, referenceDate: meta.reference_date, generationSeconds: meta.seconds, reused: true } };
  }
  // A schema of the benchmark's own: start it anew (also after an interrupted run, whose catalogue committed).
  await h.close();
  const admin = new pg.Client({ connectionString: opts.url });
  await admin.connect();
  await admin.query(`drop schema if exists ${opts.schema} cascade`);
  await admin.end();
  h = await openDatabase({ url: opts.url, schema: opts.schema, poolSize: 4 });
  await sql.raw(`create table if not exists bench_meta (persons int not null, mandates int not null, seed text not null, reference_date text not null, seconds real not null)`).execute(h.db);
  const referenceDate = helsinkiDate(Date.now());
  log(`generating ${opts.persons} persons and ${opts.mandates} mandates into schema ${opts.schema} …`);
  let last = 0;
  const s = await writePopulation(h, {
    persons: opts.persons, mandatesPerPerson: opts.mandates / opts.persons, seed: opts.seed, referenceDate, url: opts.url,
    onProgress: (p) => { if (p.seconds - last >= 30) { last = p.seconds; log(`  ${p.seconds.toFixed(0)} s: ${p.persons} persons, ${p.mandates} mandates`); } },
  });
  await sql`insert into bench_meta values (${opts.persons}, ${opts.mandates}, ${opts.seed}, ${referenceDate}, ${s.seconds})`.execute(h.db);
  log(`generated in ${s.seconds.toFixed(0)} s`);
  return { h, data: { persons: opts.persons, mandates: opts.mandates, seed: opts.seed, referenceDate, generationSeconds: s.seconds, reused: false } };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const argv = process.argv.slice(2);
  const opt = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const persons = Number((opt('--persons') ?? '5600000').replace(/_/g, ''));
  const mandates = Number((opt('--mandates') ?? String(2 * persons)).replace(/_/g, ''));
  const schema = opt('--schema') ?? (persons === 5_600_000 ? 'bench_national' : `bench_p${persons}`);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const { h } = await ensureBenchData({ url, schema, persons, mandates, seed: opt('--seed') ?? '1', regenerate: argv.includes('--regenerate') });
  await h.close();
}
