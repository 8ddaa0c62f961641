/**
 * `npm run generate -- --persons N [--mandates M] [--seed S] [--replace] [--schema NAME] [--reference-date YYYY-MM-DD]`
 *
 * Writes a synthetic population into the database of DATABASE_URL (or the PGlite folder
 * PUOLESTA_DATA_DIR). Refuses a database that already has persons or mandates unless --replace.
 */
import { helsinkiDate } from '@puolesta/domain';
import { configFromEnv } from '../config.js';
import { openDatabase } from '../db/database.js';
import { isSeeded } from './seed.js';
import { clearPopulation, writePopulation } from './generate.js';

export interface GenerateArgs {
  persons: number;
  mandates?: number;
  seed?: string;
  replace: boolean;
  schema?: string;
  referenceDate: string;
}

export function parseArgs(args: string[]): GenerateArgs {
  const out: Partial<GenerateArgs> & { replace: boolean } = { replace: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (v: string) => {
      const n = Number(v.replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, not "${v}"`);
      return n;
    };
    switch (flag) {
      case '--persons': out.persons = count(value()); break;
      case '--mandates': out.mandates = count(value()); break;
      case '--seed': out.seed = value(); break;
      case '--schema': out.schema = value(); break;
      case '--reference-date': out.referenceDate = value(); break;
      case '--replace': out.replace = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (!out.persons) throw new Error('usage: generate --persons N [--mandates M] [--seed S] [--replace] [--schema NAME] [--reference-date YYYY-MM-DD]');
  if (out.referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(out.referenceDate)) throw new Error('--reference-date must be YYYY-MM-DD');
  return { ...out, persons: out.persons, referenceDate: out.referenceDate ?? helsinkiDate(Date.now()) };
}

export async function main(args: string[]): Promise<void> {
  let a: GenerateArgs;
  try {
    a = parseArgs(args);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const config = configFromEnv();
  const h = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...(a.schema ? { schema: a.schema } : {}) });
  try {
    if (await isSeeded(h.db) || (await h.db.selectFrom('mandates').select('id').limit(1).executeTakeFirst())) {
      if (!a.replace) {
        console.error(`The database${a.schema ? ` (schema ${a.schema})` : ''} already has data. Use --replace to empty it first.`);
        process.exitCode = 1;
        return;
      }
      await clearPopulation(h);
    }
    const where = h.kind === 'postgres' ? `PostgreSQL${h.schema !== 'public' ? ` schema ${h.schema}` : ''}` : `PGlite ${config.dataDir}`;
    console.log(`generating ${a.persons} persons${a.mandates !== undefined ? `, ${a.mandates} mandates` : ''} (seed ${a.seed ?? 1}, reference date ${a.referenceDate}) into ${where}`);
    let last = 0;
    const s = await writePopulation(h, {
      persons: a.persons,
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      ...(a.mandates !== undefined ? { mandatesPerPerson: a.mandates / a.persons } : {}),
      referenceDate: a.referenceDate,
      url: config.databaseUrl,
      onProgress: (p) => {
        if (p.seconds - last >= 5) {
          last = p.seconds;
          console.log(`  ${p.seconds.toFixed(0)} s: ${p.persons} persons, ${p.organizations} organisations, ${p.mandates} mandates`);
        }
      },
    });
    console.log(`done in ${s.seconds.toFixed(1)} s: ${s.persons} persons, ${s.guardianships} guardianships, ${s.courtGuardianships} court guardianships, ${s.organizations} organisations (${s.organizationRoles} roles), ${s.properties} properties, ${s.mandates} mandates`);
  } finally {
    await h.close();
  }
}
