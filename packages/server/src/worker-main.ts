/**
 * `npm run worker`: a process that only delivers the outbox (and runs the daily jobs), beside any
 * number of API processes over one PostgreSQL database (API processes then run with
 * `PUOLESTA_WORKER=off`). Stops cleanly on SIGTERM/SIGINT: the batch in hand is finished first.
 */
import { configFromEnv, portalUrlOf } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { exitOnDemoDataInProduction, waitForMigrations } from './startup-checks.js';
import { loadCatalogue } from './services/context.js';
import { channelsFromConfig } from './notifications/wiring.js';
import { DeliveryWorker } from './notifications/worker.js';
import { createMetrics } from './notifications/metrics.js';
import { scheduleDailyJobs } from './notifications/scheduler.js';
import type { MessageContext } from './notifications/outbox.js';

const config = configFromEnv();
const log = createLogger();
if (!config.databaseUrl) {
  log.error('npm run worker needs DATABASE_URL (PostgreSQL): on the embedded database the server delivers the outbox itself');
  process.exit(2);
}
const h = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema, ...config.dbTimeouts, onConnectionError: (e) => log.warn({ err: { message: e.message } }, 'database connection lost'), migrate: config.migrate === 'at-start' });
if (config.migrate === 'off') await waitForMigrations(h, log);
// Demo persons' messages are not delivered anywhere real (decision 0014).
await exitOnDemoDataInProduction(config.mode, h, log);
const channels = channelsFromConfig(config.notify);
if (channels.size === 0) log.warn('no channel configured (PUOLESTA_SMTP_URL, PUOLESTA_SUOMIFI_MESSAGES_URL, PUOLESTA_SMS_URL, PUOLESTA_PRINT_URL): every delivery will end failed, messages stay in the inbox');
const now = () => new Date();
const metrics = createMetrics(() => h.db, now);
const catalogue = await loadCatalogue(h.db);
const worker = new DeliveryWorker(h, channels, {
  log, now, metrics: metrics.delivery,
  municipalityName: (code, lang) => catalogue.municipalities.get(code)?.name[lang] ?? null,
}, config.notify);
// The daily job writes messages as a command does.
const ctx: MessageContext = { h, db: h.db, now, catalogue, notify: { portalUrl: portalUrlOf(config), maxAttempts: config.notify.maxAttempts, written: () => worker.nudge() } };
await worker.start();
const daily = scheduleDailyJobs(ctx, worker.node, log, undefined, config.retention);
log.info({ node: worker.node, channels: [...channels.keys()] }, 'outbox worker started');
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    if (stopping) return;
    stopping = true;
    daily.stop();
    void worker.stop().then(async () => {
      await Promise.all([...channels.values()].map((c) => c.close?.()));
      await h.close();
      process.exit(0);
    });
  });
}
