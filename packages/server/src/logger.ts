import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Identity codes never reach the log: request bodies are not logged, and any field that might
 * carry one is redacted wherever it appears.
 */
export const REDACT_PATHS = [
  'id', '*.id', '*.*.id', 'person', '*.person', 'actor', '*.actor', 'principal', '*.principal', 'agent', '*.agent',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'body', '*.body',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
