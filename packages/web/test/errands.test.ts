/**
 * The errand pages' texts and readings, without a browser: every status, answer, expectation and event
 * the API can give has its words in fi, sv and en; every text key the pages use exists; whom an errand
 * may concern is offered from the session and received mandates by the service's subject kind; what
 * waits for me comes first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { ERRAND_STATUSES, PARTY_RESPONSES, type ErrandEvent, type Expected } from '@puolesta/domain';
import type { Mandate, Me } from '../src/api.js';
import { actionFirst, newAttemptKey, otherKind, subjectChoices, summaryPdfUrl, type Errand } from '../src/errands.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';

const DICTS = { fi, sv, en };
type EventName = ErrandEvent['type'] extends `errand.${infer K}` ? K : never;
// Compile-time: the texts name every errand event of the domain, every answer and expectation.
const eventTexts: Record<EventName, string> = fi.errands.events;
const expectedTexts: Record<Expected | 'decide', string> = fi.errands.expected;

describe('errand texts', () => {
  it.each(Object.keys(DICTS) as (keyof typeof DICTS)[])('%s: every status, answer, expectation, event and involvement has non-empty words', (lang) => {
    const e = DICTS[lang].errands;
    for (const s of ERRAND_STATUSES) {
      expect(e.status[s], `status ${s}`).toBeTruthy();
      expect(e.statusText[s], `statusText ${s}`).toBeTruthy();
    }
    for (const r of PARTY_RESPONSES) expect(e.response[r], `response ${r}`).toBeTruthy();
    for (const k of Object.keys(expectedTexts)) expect(e.expected[k as keyof typeof e.expected], `expected ${k}`).toBeTruthy();
    for (const k of Object.keys(eventTexts)) expect(e.events[k as keyof typeof e.events], `event ${k}`).toBeTruthy();
    for (const k of ['sign', 'confirm', 'notify', 'attest', 'none'] as const) expect(e.ask[k]).toBeTruthy();
  });

  it('every key the errand pages name exists in Finnish (the other languages have its shape by type)', async () => {
    await i18next.init({ resources: { fi: { translation: fi } }, lng: 'fi', returnNull: false });
    const files = ['pages/ErrandStartPage.tsx', 'pages/ErrandEditPage.tsx', 'pages/ErrandPage.tsx', 'pages/MyErrandsPage.tsx', 'pages/StaffErrandsPage.tsx', 'components/ErrandParts.tsx'];
    const keys = new Set<string>();
    for (const f of files) {
      const src = readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8');
      for (const m of src.matchAll(/\bt\('([a-zA-Z][\w.-]*)'/g)) keys.add(m[1]!);
    }
    expect(keys.size).toBeGreaterThan(80);
    const missing = [...keys].filter((k) => !i18next.exists(k) && !i18next.exists(`${k}_one`));
    expect(missing).toEqual([]);
  });
});

const me = {
  kind: 'person',
  person: { id: '090672-903B', firstName: 'Sanna', lastName: 'Lindholm', name: 'Sanna Lindholm', birthDate: '1972-06-09', language: 'sv', municipality: '753' },
  children: [{ type: 'person', id: '120411A9061', name: 'Ella Nyström', birthDate: '2011-04-12', permittedActions: ['grant', 'request', 'read-mandates'] }],
  organizations: [
    { type: 'organization', id: '3456780-6', name: 'Kyläyhdistys ry', role: 'secretary', signing: 'jointly', permittedActions: [] },
    { type: 'organization', id: '2345678-0', name: 'Kerava Lämpö Oy', role: 'board-member', signing: 'none', permittedActions: [] },
  ],
  wards: [{ type: 'person', id: '021137-902T', name: 'Aino Mäkelä', scope: ['housing'], validUntil: null, permittedActions: [] }],
  properties: [{ id: '753-416-7-120', municipality: '753', address: 'Byvägen 3, 04130 Sibbo', share: '1/2' }],
  name: 'Sanna Lindholm', municipality: '753', permittedActions: ['errand.create'], csrfToken: 'x',
} as unknown as Extract<Me, { kind: 'person' }>;

const mandate = (over: Partial<Mandate>): Mandate => ({
  id: 'm', principal: { type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }, agent: { type: 'person', id: me.person.id, name: me.person.name },
  issues: ['housing'], validFrom: '2026-01-01', validUntil: '2030-12-31', status: 'active', oneOff: false, source: 'electronic', createdAt: '2026-01-01T08:00:00.000Z', permittedActions: [],
  ...over,
} as Mandate);

describe('whom an errand may concern', () => {
  const received = [
    mandate({ id: 'a' }),
    mandate({ id: 'b', status: 'expired', principal: { type: 'person', id: '140362-901H', name: 'Kari Mäkelä' } }),
    // The ward again, by a mandate: offered once, on the first basis found.
    mandate({ id: 'c', principal: { type: 'person', id: '021137-902T', name: 'Aino Mäkelä' } }),
    mandate({ id: 'd', principal: { type: 'organization', id: '5678912-7', name: 'As Oy Aurinkorinne' } }),
    mandate({ id: 'e', target: { type: 'property', id: '753-416-2-33', address: 'Kirkkotie 7, 04200 Kerava' }, oneOff: true }),
    mandate({ id: 'f', target: { type: 'property', id: '753-416-2-34', address: null }, oneOff: true }),
  ];
  const pick = (kind: Parameters<typeof subjectChoices>[2]) => subjectChoices(me, received, kind).map((c) => [c.name, c.basis]);

  it('by the service\'s subject kind, each subject once, expired mandates left out', () => {
    expect(pick('self')).toEqual([['Sanna Lindholm', 'self']]);
    expect(pick('child')).toEqual([['Ella Nyström', 'guardianship']]);
    expect(pick('self-or-principal')).toEqual([['Sanna Lindholm', 'self'], ['Aino Mäkelä', 'court-guardianship'], ['Veikko Lindholm', 'mandate']]);
    expect(pick('organization')).toEqual([['Kyläyhdistys ry', 'organization-role'], ['As Oy Aurinkorinne', 'mandate']]);
    expect(pick('self-or-organization')).toEqual([['Sanna Lindholm', 'self'], ['Kyläyhdistys ry', 'organization-role'], ['As Oy Aurinkorinne', 'mandate']]);
    // A property by its street address; its id only when the register has no address.
    expect(pick('property')).toEqual([['Byvägen 3, 04130 Sibbo', 'owner'], ['Kirkkotie 7, 04200 Kerava', 'mandate'], ['753-416-2-34', 'mandate']]);
  });

  it('radio values are never identity codes; "someone else" is entered by the kind the service takes', () => {
    for (const c of subjectChoices(me, received, 'self-or-principal')) expect(c.key).toMatch(/^s\d+$/);
    expect(otherKind('self')).toBeNull();
    expect(otherKind('child')).toBe('person');
    expect(otherKind('self-or-organization')).toBe('organization');
    expect(otherKind('property')).toBe('property');
  });
});

describe('small readings', () => {
  it('what waits for me comes first, otherwise the order stays', () => {
    const e = (id: string, expected: string) => ({ id, expected }) as unknown as Errand;
    expect(actionFirst([e('1', 'wait-for-decision'), e('2', 'sign'), e('3', 'read-decision'), e('4', 'complete-and-send')]).map((x) => x.id)).toEqual(['2', '4', '1', '3']);
  });

  it('a fresh version-4 UUID for each attempt, and the summary in the reader\'s language', () => {
    const a = newAttemptKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newAttemptKey()).not.toBe(a);
    expect(summaryPdfUrl('abc', 'sv')).toBe('/api/v1/errands/abc/summary.pdf?lang=sv');
  });
});
