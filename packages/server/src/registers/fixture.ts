import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Name3 } from '../db/schema.js';

/** The shape of fixtures/demo.json (and of the generator's output). */
export interface Fixture {
  referenceDate?: string;
  municipalities: { code: string; name: Name3; languages: string[] }[];
  persons: {
    key?: string;
    id: string;
    firstName: string;
    lastName: string;
    birthDate: string;
    municipality: string | null;
    language: string;
    contact?: Record<string, unknown>;
  }[];
  guardianships: { guardian: string; child: string }[];
  courtGuardianships: { guardian: string; ward: string; scope: string[]; validUntil: string | null }[];
  organizations: {
    key?: string;
    id: string;
    name: string;
    form: string;
    municipality: string | null;
    roles: { person: string; role: string; signing: 'alone' | 'jointly' | 'none' }[];
    signingRule?: string;
  }[];
  properties: {
    key?: string;
    id: string;
    municipality: string;
    address?: string;
    owners: { type: 'person' | 'organization'; id: string; share?: string }[];
  }[];
  issues: { code: string; name: Name3 }[];
  bundles: { code: string; name: Name3; issues: string[] }[];
  services: {
    code: string;
    name: Name3;
    description?: Name3;
    subject: string;
    issues: string[];
    parties: string;
    policy: { kind: string; alternative?: string };
    recommendedMandate?: string;
  }[];
  municipalServices: Record<string, string[]>;
  overrides: { municipality: string; service: string; policy: { kind: string; alternative?: string } }[];
  mandates: {
    key: string;
    principal: string;
    agent: string;
    bundle?: string;
    issues: string[];
    validFrom: string;
    validUntil: string;
    oneOff?: boolean;
    target?: { type: 'property'; id: string };
    municipality?: string;
  }[];
  staff: { key: string; name: string; municipality: string | null; roles: string[] }[];
  apiClients: { id: string; secret: string; municipality: string; /** The e-service's name in the usage log. */ displayName?: { fi: string; sv: string; en: string } }[];
}

export const DEMO_FIXTURE_PATH = fileURLToPath(new URL('../../../../fixtures/demo.json', import.meta.url));

let cached: Fixture | undefined;
export function demoFixture(): Fixture {
  cached ??= JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as Fixture;
  return cached;
}
