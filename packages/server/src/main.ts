import { configFromEnv } from './config.js';
import { createPuolesta } from './app.js';

const config = configFromEnv();
const p = await createPuolesta({ config });
await p.app.listen({ port: config.port, host: config.host });
p.ctx.log.info(`Puolesta (${config.mode} mode, ${p.ctx.h.kind}) at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void p.close().then(() => process.exit(0)); });
}
