import { configFromEnv } from './config.js';
import { createPuolesta } from './app.js';
import { openDatabase } from './db/database.js';
import { createLogger, logDestination } from './logger.js';
import { exitOnDemoDataInProduction, waitForMigrations } from './startup-checks.js';

const config = configFromEnv();
const log = createLogger(process.env.LOG_LEVEL ?? 'info', logDestination());
const h = await openDatabase({
  url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema, ...config.dbTimeouts,
  onConnectionError: (e) => log.warn({ err: { message: e.message } }, 'database connection lost'),
  migrate: config.migrate === 'at-start',
});
if (config.migrate === 'off') await waitForMigrations(h, log);
// Before anything serves a request or delivers a message (decision 0014).
await exitOnDemoDataInProduction(config.mode, h, log);
const p = await createPuolesta({ config, handle: h, logger: log });
// The app answers while the authorization index loads (checks read the database meanwhile); a load
// that fails ends the process, so that it is restarted rather than answering from the database for ever.
p.indexReady.catch(() => { log.fatal('the authorization index could not be loaded: exiting'); void p.close().finally(() => process.exit(1)); });
await p.app.listen({ port: config.port, host: config.host });
p.ctx.log.info(`Puolesta (${config.mode} mode, ${p.ctx.h.kind}) at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void p.close().then(() => h.close()).then(() => process.exit(0)); });
}
