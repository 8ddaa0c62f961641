import { configFromEnv } from './config.js';
import { createPuolesta } from './app.js';
import { openDatabase } from './db/database.js';
import { createLogger, logDestination } from './logger.js';
import { DemoDataInProduction, refuseDemoData } from './startup-checks.js';

const config = configFromEnv();
const log = createLogger(process.env.LOG_LEVEL ?? 'info', logDestination());
const h = await openDatabase({
  url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema, ...config.dbTimeouts,
  onConnectionError: (e) => log.warn({ err: { message: e.message } }, 'database connection lost'),
});
if (config.mode === 'production') {
  // Before anything serves a request or delivers a message (decision 0014).
  try {
    await refuseDemoData(h.db);
  } catch (e) {
    if (!(e instanceof DemoDataInProduction)) throw e;
    log.fatal(e.message);
    await h.close();
    process.exit(1);
  }
}
const p = await createPuolesta({ config, handle: h, logger: log });
await p.app.listen({ port: config.port, host: config.host });
p.ctx.log.info(`Puolesta (${config.mode} mode, ${p.ctx.h.kind}) at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void p.close().then(() => h.close()).then(() => process.exit(0)); });
}
