/**
 * Command line: `tsx packages/server/src/cli.ts <command>` (npm scripts wrap these).
 *   audit-verify          recompute the usage log's hash chain; exit 1 on a changed or missing entry
 *   generate --persons N  write a synthetic population into the database (see registers/generate-cli.ts)
 */
import { configFromEnv } from './config.js';
import { openDatabase } from './db/database.js';
import { verifyAuditLog } from './repositories/audit.repository.js';

const [command, ...args] = process.argv.slice(2);

async function auditVerify() {
  const config = configFromEnv();
  const h = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const r = await verifyAuditLog(h.db);
    if (r.break) {
      console.error(`audit log BROKEN at entry ${r.break.seq}: ${r.break.problem === 'changed' ? 'the entry was changed' : r.break.problem === 'link' ? 'the chain link does not match the previous entry' : 'an entry is missing'} (${r.entries} entries read)`);
      process.exitCode = 1;
    } else {
      console.log(`audit log OK: ${r.entries} entries, chain intact`);
    }
  } finally {
    await h.close();
  }
}

switch (command) {
  case 'audit-verify':
    await auditVerify();
    break;
  case 'generate': {
    const { main } = await import('./registers/generate-cli.js');
    await main(args);
    break;
  }
  default:
    console.error('usage: cli.ts audit-verify | generate --persons N');
    process.exitCode = 2;
}
