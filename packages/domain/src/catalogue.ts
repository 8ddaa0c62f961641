import { refuse } from './errors.js';

/**
 * How acting on behalf works in a service (the seed's situations A, B and C):
 * - `no-need`: nothing to check (e.g. an advice request);
 * - `alone` (C): one person acts in a joint matter, and the other parties are dealt with by
 *   `attest` (the applicant confirms they agree; all get the decision), `notify` (all are told and
 *   see the errand) or `confirm` (all must confirm before it proceeds);
 * - `mandate` (A): acting for someone needs a mandate in the service's issues;
 * - `multi-signature` (B): every party signs.
 */
export type Alternative = 'attest' | 'notify' | 'confirm';
export type Policy = { kind: 'alone'; alternative: Alternative } | { kind: 'mandate' } | { kind: 'multi-signature' } | { kind: 'no-need' };
export type PolicyKind = Policy['kind'];
export const POLICY_KINDS: readonly PolicyKind[] = ['no-need', 'alone', 'mandate', 'multi-signature'];
export const ALTERNATIVES: readonly Alternative[] = ['attest', 'notify', 'confirm'];

export type Parties = 'guardians-of-subject' | 'owners-of-property' | 'co-applicants' | 'signatories-of-organization' | 'none';
export type RecommendedMandate = 'one-off' | 'long-term';

/**
 * How much a policy asks of the people involved, least first. A municipality may move a service
 * up this scale, never down: no-need < alone+attest < alone+notify < alone+confirm < mandate < multi-signature.
 */
export function strictness(p: Policy): number {
  switch (p.kind) {
    case 'no-need': return 0;
    case 'alone': return 1 + ALTERNATIVES.indexOf(p.alternative);
    case 'mandate': return 4;
    case 'multi-signature': return 5;
  }
}

/** Reads `{kind, alternative?}` from outside, naming the field at fault. */
export function parsePolicy(raw: { kind: string; alternative?: string | undefined }, field = ''): Policy {
  const f = (name: string) => (field ? `${field}.${name}` : name);
  if (!POLICY_KINDS.includes(raw.kind as PolicyKind)) throw refuse('policy.unknown-kind', {}, f('kind'));
  if (raw.kind === 'alone') {
    if (!ALTERNATIVES.includes(raw.alternative as Alternative)) throw refuse('policy.alternative-required', {}, f('alternative'));
    return { kind: 'alone', alternative: raw.alternative as Alternative };
  }
  if (raw.alternative !== undefined) throw refuse('policy.alternative-not-allowed', {}, f('alternative'));
  return { kind: raw.kind as Exclude<PolicyKind, 'alone'> };
}

export const describePolicy = (p: Policy) => (p.kind === 'alone' ? `alone (${p.alternative})` : p.kind);

/** Every policy, least asked of people first (the scale `strictness` orders). */
export const POLICY_SCALE: readonly Policy[] = [
  { kind: 'no-need' },
  ...ALTERNATIVES.map((alternative): Policy => ({ kind: 'alone', alternative })),
  { kind: 'mandate' },
  { kind: 'multi-signature' },
];

/** A municipality's override may be as strict as the common policy or stricter, never looser. */
export const isNotLooser = (override: Policy, common: Policy): boolean => strictness(override) >= strictness(common);

/** The policies a municipality may choose for a service whose common policy is `common`, loosest first. */
export const allowedOverrides = (common: Policy): Policy[] => POLICY_SCALE.filter((p) => isNotLooser(p, common));

/** Refuses an override looser than the common policy (the rule of `isNotLooser`). */
export function assertNotLooser(override: Policy, common: Policy, field = 'kind'): void {
  if (!isNotLooser(override, common)) {
    throw refuse('policy.looser-than-common', { common: describePolicy(common), kind: describePolicy(override) }, field);
  }
}

export type Lang = 'fi' | 'sv' | 'en';
export type Text3 = Record<Lang, string>;

const PARTIES_TEXT: Record<Parties, Text3> = {
  'guardians-of-subject': { fi: 'lapsen muut huoltajat', sv: 'barnets övriga vårdnadshavare', en: "the child's other guardians" },
  'owners-of-property': { fi: 'kiinteistön muut omistajat', sv: 'fastighetens övriga ägare', en: 'the other owners of the property' },
  'co-applicants': { fi: 'kanssahakijat', sv: 'medsökandena', en: 'the co-applicants' },
  'signatories-of-organization': { fi: 'yhteisön nimenkirjoittajat', sv: 'organisationens firmatecknare', en: "the organisation's signatories" },
  none: { fi: 'muut osapuolet', sv: 'de övriga parterna', en: 'the other parties' },
};

const list = (names: string[], and: string) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`);

/**
 * One or two plain sentences telling a citizen what acting for someone requires in a service,
 * in Finnish, Swedish and English. `issueNames` are the accepted mandate issues' names.
 */
export function guidance(policy: Policy, parties: Parties, issueNames: Text3[]): Text3 {
  const issues = (l: Lang, and: string) => list(issueNames.map((n) => `"${n[l]}"`), and);
  const who = PARTIES_TEXT[parties];
  switch (policy.kind) {
    case 'no-need':
      return {
        fi: 'Tässä palvelussa voit asioida toisen puolesta ilman valtuutta.',
        sv: 'I den här tjänsten kan du uträtta ärenden för någon annan utan fullmakt.',
        en: 'You can use this service for someone else without a mandate.',
      };
    case 'mandate':
      return {
        fi: `Toisen puolesta asiointiin tarvitset häneltä valtuuden asiaan ${issues('fi', 'tai')}. Jos sinulla ei ole valtuutta, voit pyytää sitä suoraan.`,
        sv: `För att uträtta ärenden för någon annan behöver du en fullmakt från hen för ${issues('sv', 'eller')}. Om du saknar fullmakt kan du be om den direkt.`,
        en: `To act for someone else you need their mandate for ${issues('en', 'or')}. If you do not have one, you can request it directly.`,
      };
    case 'multi-signature':
      return {
        fi: `Hakemuksen allekirjoittavat kaikki osapuolet: ${who.fi} saavat pyynnön allekirjoittaa, tai he voivat valtuuttaa sinut.`,
        sv: `Alla parter undertecknar ansökan: ${who.sv} får en begäran om att underteckna, eller så kan de ge dig fullmakt.`,
        en: `Every party signs: ${who.en} will each be asked to sign, or they can give you a mandate.`,
      };
    case 'alone':
      switch (policy.alternative) {
        case 'attest':
          return {
            fi: `Voit asioida yksin, kun vakuutat, että ${who.fi} tietävät asiasta ja hyväksyvät sen. Kaikki osapuolet saavat päätöksen.`,
            sv: `Du kan uträtta ärendet ensam när du intygar att ${who.sv} känner till och godkänner det. Alla parter får beslutet.`,
            en: `You can act alone if you confirm that ${who.en} know and agree. Every party receives the decision.`,
          };
        case 'notify':
          return {
            fi: `Voit asioida yksin. ${cap(who.fi)} saavat tiedon asian vireille tulosta ja näkevät sen ja päätöksen.`,
            sv: `Du kan uträtta ärendet ensam. ${cap(who.sv)} får veta att ärendet har inletts och ser det och beslutet.`,
            en: `You can act alone. ${cap(who.en)} are told the errand was started and can see it and its decision.`,
          };
        case 'confirm':
          return {
            fi: `Voit aloittaa asian yksin, mutta ${who.fi} saavat vahvistuspyynnön, ja asia etenee vasta kun kaikki ovat vahvistaneet.`,
            sv: `Du kan inleda ärendet ensam, men ${who.sv} får en begäran om bekräftelse, och ärendet går vidare först när alla har bekräftat.`,
            en: `You can start alone, but ${who.en} will each be asked to confirm, and the errand goes ahead only when all have confirmed.`,
          };
      }
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
