// The framework's limit, for check.bench.ts: a bare Fastify route (the same Fastify the server
// uses, no plugins, no hooks, no logging) in a process of its own. `GET /bare` answers a constant;
// `POST /bare` parses the same JSON body the check gets and answers a check-sized constant answer.
// Prints the address on stdout, then serves until killed.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const ANSWER = { allowed: false, reason: 'no-relation', explanation: 'No mandate, guardianship or role.' };
app.get('/bare', async () => ({ ok: true }));
app.post('/bare', async (req) => (req.body && typeof req.body === 'object' ? ANSWER : { allowed: false }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${address}\n`);
