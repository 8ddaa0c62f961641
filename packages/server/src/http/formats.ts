/**
 * JSON Schema formats with the domain's rules, for every ajv the server runs (route validation and
 * errand forms): `date` is a real calendar date within the sane range (packages/domain local-date.ts),
 * not ajv-formats' own reading of it.
 */
import type { Ajv } from 'ajv';
import { isLocalDate } from '@puolesta/domain';

/** Overrides the `date` format with the domain's rule (add after ajv-formats: Fastify's `ajv.onCreate`). */
export function localDateFormat(ajv: Pick<Ajv, 'addFormat'>): void {
  ajv.addFormat('date', { type: 'string', validate: (s: string) => isLocalDate(s) });
}

