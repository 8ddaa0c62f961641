/**
 * One Puolesta process for new-enemy.test.ts: the real createPuolesta on schema NE_SCHEMA of
 * DATABASE_URL, listening on a free port of 127.0.0.1. Prints "READY <url>" when it answers.
 * NE_NOTIFY_DELAY_MS delays the change notifications it hears.
 */
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const url = process.env.DATABASE_URL;
const schema = process.env.NE_SCHEMA;
if (!url || !schema) throw new Error('DATABASE_URL and NE_SCHEMA are needed');
const handle = await openDatabase({ url, schema, poolSize: 5 });
// A lagging process: change notifications reach it late (NE_NOTIFY_DELAY_MS), as they may in life.
const delay = Number(process.env.NE_NOTIFY_DELAY_MS ?? 0);
if (delay > 0) {
  const newListener = handle.newListener.bind(handle);
  handle.newListener = async () => {
    const l = await newListener();
    return { ...l, listen: (channel, onPayload) => l.listen(channel, (payload) => { setTimeout(() => onPayload(payload), delay); }) };
  };
}
const p = await createPuolesta({ config: { ...configFromEnv({}), mode: 'demo', databaseUrl: url }, handle, logger: false, serveWeb: false, worker: false, simulators: false });
await p.indexReady; // this test is about the in-memory index and its leases
const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
const stop = () => { void p.close().then(() => handle.close()).finally(() => process.exit(0)); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
