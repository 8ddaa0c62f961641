/**
 * Who may do what — declared once. Every action on every kind of object has one rule here: which
 * kinds of actor may ask at all (and with which staff role), and, given the facts about the object
 * and the actor's relation to it, whether this actor may do it now. The server evaluates these for
 * every endpoint (a route declares its action) and for `permittedActions` on what it returns; the
 * UI only reads the answers. Pure functions over plain data: no HTTP, SQL or UI.
 */
import type { IssueCode, MunicipalityCode, PartyRef, PersonId } from './ids.js';
import { sameParty } from './ids.js';
import type { LocalDate } from './local-date.js';
import { isMinor, personIsMinor } from './majority.js';
import type { Signing } from './decide.js';
import type { MandateStatus } from './mandate.js';
import type { ErrorCode, ErrorParams } from './errors.js';
import { AWAITING_PARTIES, EDITABLE_STATUSES, FINAL_STATUSES, SUBMITTABLE_STATUSES, seesErrand, type ErrandFacts } from './errands.js';

export const STAFF_ROLES = ['caseworker', 'municipality-admin', 'umbrella-admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Actor =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'person'; readonly id: PersonId }
  | { readonly kind: 'staff'; readonly key: string; readonly municipality: MunicipalityCode | null; readonly roles: readonly StaffRole[] }
  | { readonly kind: 'api-client'; readonly id: string; readonly municipality: MunicipalityCode };
export type ActorKind = Actor['kind'];
export type PersonActor = Extract<Actor, { kind: 'person' }>;
export type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type ClientActor = Extract<Actor, { kind: 'api-client' }>;

// ---- a person's standing towards a party ---------------------------------------------------------

/** What the registers say about a logged-in person: whom they may stand for. Loaded once per request. */
export interface PersonFacts {
  readonly id: PersonId;
  /** Children in the person's custody, with their birth dates (minors and adults alike). */
  readonly children: ReadonlyMap<string, LocalDate>;
  /** Organisations where the person has a role, with the signing right (the strongest of their roles). */
  readonly organizations: ReadonlyMap<string, Signing>;
  /** Wards under the person's court guardianship: the court's scope and end. */
  readonly wards: ReadonlyMap<string, { readonly scope: readonly IssueCode[]; readonly validUntil: LocalDate | null }>;
}

export type Standing =
  | { readonly kind: 'self'; readonly minor: boolean }
  | { readonly kind: 'guardian' } // of a minor child
  | { readonly kind: 'signatory'; readonly signing: Signing }
  | { readonly kind: 'court-guardian'; readonly scope: readonly IssueCode[] }
  | { readonly kind: 'none' };

/** How the person stands to the party today: the rule of "who may act for whom" for the portal. */
export function standing(me: PersonFacts, party: PartyRef, today: LocalDate): Standing {
  if (party.type === 'person') {
    if (party.id === me.id) return { kind: 'self', minor: personIsMinor(me.id, today) };
    const born = me.children.get(party.id);
    if (born && isMinor(born, today)) return { kind: 'guardian' };
    const ward = me.wards.get(party.id);
    if (ward && (ward.validUntil === null || ward.validUntil >= today)) return { kind: 'court-guardian', scope: ward.scope };
    return { kind: 'none' };
  }
  const signing = me.organizations.get(party.id);
  return signing ? { kind: 'signatory', signing } : { kind: 'none' };
}

/** May one standing decide (give, revoke, approve) in these issues for the party? Null when yes. */
export function decisionRefusal(s: Standing, issues: readonly IssueCode[]): Refusal | null {
  switch (s.kind) {
    case 'self': return s.minor ? { code: 'party.minor-cannot-grant' } : null;
    case 'guardian': return null;
    case 'signatory': return s.signing === 'none' ? { code: 'party.no-signing-rights' } : null;
    case 'court-guardian': {
      const outside = issues.filter((i) => !s.scope.includes(i));
      return outside.length ? { code: 'party.outside-court-scope', params: { issues: outside } } : null;
    }
    case 'none': return { code: 'party.cannot-act-for' };
  }
}

/** Is the person on this side at all (may see what concerns the party)? */
export const onSideOf = (s: Standing, issues: readonly IssueCode[]): boolean =>
  s.kind === 'self' || s.kind === 'guardian' || (s.kind === 'signatory' && s.signing !== 'none') ||
  (s.kind === 'court-guardian' && issues.every((i) => s.scope.includes(i)));

// ---- objects -------------------------------------------------------------------------------------

/** What the rules need to know about one mandate (or request) and the asking person's relation to it. */
export interface MandateFacts {
  readonly status: MandateStatus;
  readonly issues: readonly IssueCode[];
  readonly principal: Standing;
  readonly agent: Standing;
  /** Persons who have said yes on the principal's side so far. */
  readonly approversDone: readonly string[];
  /** A paper mandate: the municipality whose caseworker registered it (usage log & receipts). */
  readonly registeredIn?: MunicipalityCode | null;
}

export interface Refusal { readonly code: ErrorCode; readonly params?: ErrorParams; readonly field?: string }

interface Rule<F> {
  /** Which kinds of actor may ask at all. */
  readonly actors: readonly ActorKind[];
  /** Staff: one of these roles is needed. */
  readonly roles?: readonly StaffRole[];
  readonly describe: string;
  /** The decision with the object's facts; omitted when the actor's kind and role decide alone. */
  readonly check?: (actor: Actor, facts: F) => Refusal | null;
}

const rule = <F = void>(r: Rule<F>): Rule<F> => r;
const EVERYONE: readonly ActorKind[] = ['anonymous', 'person', 'staff', 'api-client'];
const SESSION: readonly ActorKind[] = ['person', 'staff'];
const live = (s: MandateStatus) => s === 'active' || s === 'requested';
const meOf = (a: Actor) => (a.kind === 'person' ? a.id : '');

/** A staff member administers a municipality's catalogue: its own admin, or the umbrella admin. */
function administers(a: Actor, f: { municipality: MunicipalityCode }): Refusal | null {
  if (a.kind !== 'staff') return { code: 'access.staff-only' };
  if (a.roles.includes('umbrella-admin')) return null;
  if (a.roles.includes('municipality-admin') && a.municipality === f.municipality) return null;
  return { code: 'access.not-your-municipality', params: { municipality: f.municipality } };
}
const ADMINS: readonly StaffRole[] = ['municipality-admin', 'umbrella-admin'];

/** A caseworker of the errand's municipality; anyone else sees no such errand. */
function caseworkerOf(a: Actor, f: { municipality: string }): Refusal | null {
  return a.kind === 'staff' && a.roles.includes('caseworker') && a.municipality === f.municipality ? null : { code: 'errand.not-found' };
}

function ownMunicipality(a: Actor, f: { municipality: MunicipalityCode | null }, code: ErrorCode = 'access.other-municipality'): Refusal | null {
  const own = a.kind === 'staff' || a.kind === 'api-client' ? a.municipality : null;
  if (f.municipality === null || own === f.municipality) return null;
  return { code, params: { own: own ?? '', municipality: f.municipality }, field: 'municipality' };
}

/** A caseworker (with a municipality of their own) sees a mandate usable there; anyone else as if it did not exist. */
function caseworkerSees(a: Actor, f: { municipality: MunicipalityCode | null }): Refusal | null {
  if (a.kind !== 'staff' || !a.roles.includes('caseworker') || a.municipality === null) return { code: 'mandate.not-found' };
  return f.municipality === null || f.municipality === a.municipality ? null : { code: 'mandate.not-found' };
}
/** What revoking a paper-registered mandate needs to know: where it may be used, where it was registered, how, and its state today. */
export interface PaperRevokeFacts {
  readonly municipality: MunicipalityCode | null;
  readonly registeredIn: MunicipalityCode | null;
  readonly source: string;
  readonly status: MandateStatus;
}

/** Who sees an errand: its applicant; once sent, its principal's side and its parties; a caseworker of its municipality. */
/** Who sees an errand: its people (seesErrand); a caseworker of its municipality once it is sent (never a draft). */
const readsErrand = (a: Actor, f: ErrandFacts): Refusal | null => (a.kind === 'staff' ? caseworkerOf(a, f) ?? (f.status === 'draft' ? { code: 'errand.not-found' } : null) : seesErrand(f) ? null : { code: 'errand.not-found' });
/** Who changes an errand (its data, its attachments): the applicant, before a decision. */
const editsErrand = (f: ErrandFacts): Refusal | null =>
  (!f.applicant ? { code: 'errand.not-applicant' } : EDITABLE_STATUSES.includes(f.status) ? null : { code: 'errand.wrong-status', params: { status: f.status } });

export const ACCESS = {
  // ---- public -----------------------------------------------------------------------------------
  'catalogue.read': rule({ actors: EVERYONE, describe: 'Read the common catalogue and municipalities\' services (public).' }),
  'ui.read': rule({ actors: EVERYONE, describe: 'The built web UI\'s files (public).' }),
  'service.read-health': rule({ actors: EVERYONE, describe: 'Liveness and the API description (public).' }),
  'auth.login': rule({ actors: EVERYONE, describe: 'Log in (demo login only in demo mode).' }),
  'auth.logout': rule({ actors: EVERYONE, describe: 'End one\'s own session.' }),

  // ---- a session ----------------------------------------------------------------------------------
  'session.read': rule({ actors: SESSION, describe: 'Who am I, for whom may I act, what may I do.' }),
  'party.lookup': rule({ actors: SESSION, describe: 'Name of a person or organisation by identifier (rate-limited).' }),
  // sessions (issue 11): sign out everywhere
  'session.end-all': rule({ actors: SESSION, describe: 'End all of one\'s own sessions, on every device ("sign out everywhere").' }),

  // ---- mandates, for citizens ---------------------------------------------------------------------
  'mandate.list-own': rule({ actors: ['person'], describe: 'My mandates and requests, and those of the parties I decide for.' }),
  // forms (issue 10): whom the grant and request forms offer
  'people.list-own': rule({ actors: ['person'], describe: 'The people and organisations the registers and my mandates relate me to, to choose on the grant and request forms.' }),
  'mandate.grant': rule<{ principal: Standing; issues: readonly IssueCode[] }>({
    actors: ['person'], describe: 'Give a mandate: for oneself (an adult), a minor child (every guardian), an organisation (its signing rule), a ward (within the court\'s scope).',
    check: (_a, f) => decisionRefusal(f.principal, f.issues),
  }),
  'mandate.request': rule<{ agent: Standing }>({
    actors: ['person'], describe: 'Ask for a mandate, for oneself, a minor child or an organisation one signs for.',
    check: (_a, f) => (f.agent.kind === 'self' || f.agent.kind === 'guardian' || (f.agent.kind === 'signatory' && f.agent.signing !== 'none') ? null
      : { code: f.agent.kind === 'signatory' ? 'party.no-signing-rights' : 'party.cannot-act-for', field: 'onBehalfOf' }),
  }),
  'mandate.read': rule<MandateFacts>({
    actors: ['person'], describe: 'See a mandate: its principal\'s or agent\'s side.',
    check: (_a, f) => (onSideOf(f.principal, f.issues) || onSideOf(f.agent, f.issues) ? null : { code: 'mandate.not-found' }),
  }),
  'mandate.read-log': rule<MandateFacts>({
    actors: ['person'], describe: 'Read a mandate\'s usage and life-cycle log: its principal\'s or agent\'s side.',
    check: (_a, f) => (onSideOf(f.principal, f.issues) || onSideOf(f.agent, f.issues) ? null : { code: 'mandate.not-found' }),
  }),
  // ---- usage log and receipts (issue 10, item 5) ---------------------------------------------------
  'mandate.list-log-own': rule({ actors: ['person'], describe: 'The usage log across all my mandates: each mandate\'s uses as `mandate.read-log` lets me read them.' }),
  'mandate.download-receipt': rule<MandateFacts>({
    actors: ['person', 'staff'], roles: ['caseworker'], describe: 'Download a mandate\'s PDF receipt: whoever may see the mandate; a caseworker of the municipality that registered a paper mandate.',
    check: (a, f) => (a.kind === 'staff'
      ? (a.municipality !== null && f.registeredIn === a.municipality ? null : { code: 'mandate.not-found' })
      : onSideOf(f.principal, f.issues) || onSideOf(f.agent, f.issues) ? null : { code: 'mandate.not-found' }),
  }),
  'mandate.decide': rule<MandateFacts>({
    actors: ['person'], describe: 'Grant (possibly narrowed) or reject a request to the principal\'s side that nobody there has answered yet.',
    check: (_a, f) => {
      if (f.status !== 'requested') return { code: 'mandate.wrong-status', params: { status: f.status } };
      if (f.approversDone.length > 0) return { code: 'mandate.not-decider' };
      const r = decisionRefusal(f.principal, f.issues);
      return r === null ? null : r.code === 'party.minor-cannot-grant' ? r : { code: 'mandate.not-decider' };
    },
  }),
  'mandate.approve': rule<MandateFacts>({
    actors: ['person'], describe: 'Co-approve a grant that another guardian or signatory started and that waits for me.',
    check: (a, f) => {
      if (f.status !== 'requested') return { code: 'mandate.wrong-status', params: { status: f.status } };
      if (f.approversDone.length === 0) return { code: 'mandate.not-decider' };
      if (f.approversDone.includes(meOf(a))) return { code: 'mandate.already-approved' };
      return decisionRefusal(f.principal, f.issues) ? { code: 'mandate.not-decider' } : null;
    },
  }),
  'mandate.revoke': rule<MandateFacts>({
    actors: ['person'], describe: 'Revoke a mandate (or withdraw a grant one has started): the principal\'s side.',
    check: (a, f) => {
      if (!onSideOf(f.principal, f.issues)) return { code: 'mandate.not-principal' };
      if (!live(f.status)) return { code: 'mandate.wrong-status', params: { status: f.status } };
      // A request nobody on my side has answered is decided, not revoked.
      if (f.status === 'requested' && !f.approversDone.includes(meOf(a))) return { code: 'mandate.wrong-status', params: { status: f.status } };
      const r = decisionRefusal(f.principal, f.issues);
      return r && r.code === 'party.minor-cannot-grant' ? r : null;
    },
  }),
  'mandate.renounce': rule<MandateFacts>({
    actors: ['person'], describe: 'Renounce a mandate, or withdraw one\'s request: the agent\'s side.',
    check: (_a, f) => {
      if (!onSideOf(f.agent, f.issues)) return { code: 'mandate.not-agent' };
      return live(f.status) ? null : { code: 'mandate.wrong-status', params: { status: f.status } };
    },
  }),
  'organization.read-mandates': rule<{ organization: Standing }>({
    actors: ['person'], describe: 'An organisation\'s mandates, for those with signing rights in it.',
    check: (_a, f) => (f.organization.kind === 'signatory' && f.organization.signing !== 'none' ? null : { code: 'organization.not-yours' }),
  }),

  // ---- e-services (API clients) ------------------------------------------------------------------
  'authorization.check': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['api-client'], describe: 'Ask whether an actor may act for a principal, in the client\'s own municipality.',
    check: (a, f) => ownMunicipality(a, f),
  }),
  'authorization.principals': rule({ actors: ['api-client'], describe: 'Everyone an actor may act for in an issue.' }),
  'mandate.record-use': rule({ actors: ['api-client'], describe: 'Record the use of a mandate in an errand of the client\'s municipality.' }),

  // ---- staff ---------------------------------------------------------------------------------------
  'staff.check': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['staff'], roles: ['caseworker'], describe: 'A caseworker checks a visitor\'s basis at a service point of their municipality.',
    check: (a, f) => ownMunicipality(a, f),
  }),
  'paper-mandate.register': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['staff'], roles: ['caseworker'], describe: 'A caseworker registers a signed paper power of attorney, limited to their own municipality.',
    check: (a, f) => (a.kind === 'staff' && a.municipality !== null ? ownMunicipality(a, f, 'paper.other-municipality') : { code: 'access.role-required', params: { roles: ['caseworker'] } }),
  }),
  // ---- caseworker pages: the per-person view and revoking a paper mandate (issue 10, item 6) ------
  'staff.person-mandates': rule({
    actors: ['staff'], roles: ['caseworker'], describe: 'A caseworker of a municipality looks up, with a reason that is logged, the mandates one person or organisation has given and received.',
    check: (a) => (a.kind === 'staff' && a.municipality !== null ? null : { code: 'access.role-required', params: { roles: ['caseworker'] } }),
  }),
  'staff.mandate-read': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['staff'], roles: ['caseworker'], describe: 'In the per-person view a caseworker sees the mandates usable in their municipality (unlimited, or limited to it); any other is as if it did not exist.',
    check: (a, f) => caseworkerSees(a, f),
  }),
  'paper-mandate.revoke': rule<PaperRevokeFacts>({
    actors: ['staff'], roles: ['caseworker'], describe: 'A caseworker of the registering municipality revokes a mandate registered from paper, on the principal\'s written request.',
    check: (a, f) => {
      const hidden = caseworkerSees(a, f);
      if (hidden) return hidden;
      if (f.source !== 'paper') return { code: 'paper.not-paper-mandate' };
      if (a.kind !== 'staff' || f.registeredIn !== a.municipality) return { code: 'paper.revoke-other-municipality', params: { registeredIn: f.registeredIn ?? '' } };
      return f.status === 'active' ? null : { code: 'mandate.wrong-status', params: { status: f.status } };
    },
  }),
  'catalogue-class.edit': rule({ actors: ['staff'], roles: ['umbrella-admin'], describe: 'Create or change a common service class.' }),
  'issue.edit': rule({ actors: ['staff'], roles: ['umbrella-admin'], describe: 'Create or rename a mandate issue.' }),
  'bundle.edit': rule({ actors: ['staff'], roles: ['umbrella-admin'], describe: 'Create or change a situation bundle.' }),
  'municipal-service.edit': rule<{ municipality: MunicipalityCode }>({
    actors: ['staff'], roles: ADMINS, describe: 'Adopt, change or stop a municipal service, and set its policy.', check: administers,
  }),
  // ---- errands ------------------------------------------------------------------------------------
  'errand.create': rule({ actors: ['person'], describe: 'Start an errand in a municipality\'s service: for oneself, or a party one may act for (the basis is worked out, or a mandate asked for).' }),
  'errand.list-own': rule({ actors: ['person'], describe: 'My errands: as applicant, principal (or for whom I decide) or party.' }),
  'errand.read': rule<ErrandFacts>({
    actors: ['person', 'staff'], describe: 'See an errand and download its attachments: its applicant; once sent, its principal\'s side and its parties; a caseworker of its municipality.',
    check: readsErrand,
  }),
  'errand.edit': rule<ErrandFacts>({
    actors: ['person'], describe: 'Change an errand\'s data before a decision (the applicant; a change after a signature voids the signatures).',
    check: (_a, f) => editsErrand(f),
  }),
  'errand.attach': rule<ErrandFacts>({
    actors: ['person'], describe: 'Add an attachment to an errand or remove one, while its data may be changed (the applicant; a change after a signature voids the signatures).',
    check: (_a, f) => editsErrand(f),
  }),
  'errand.download-summary': rule<ErrandFacts>({
    actors: ['person', 'staff'], describe: 'Download or print an errand\'s PDF summary: whoever may see it, once it has been sent.',
    check: (a, f) => readsErrand(a, f) ?? (f.status === 'draft' ? { code: 'errand.wrong-status', params: { status: f.status } } : null),
  }),
  'errand.submit': rule<ErrandFacts>({
    actors: ['person'], describe: 'Send an errand (the applicant): to the parties, to wait for a mandate, or to processing.',
    check: (_a, f) => (!f.applicant ? { code: 'errand.not-applicant' } : SUBMITTABLE_STATUSES.includes(f.status) ? null : { code: 'errand.wrong-status', params: { status: f.status } }),
  }),
  'errand.respond': rule<ErrandFacts>({
    actors: ['person'], describe: 'Sign, confirm or decline an errand: a party whose answer it waits for.',
    check: (_a, f) => {
      if (!f.party) return { code: 'errand.not-party' };
      if (!AWAITING_PARTIES.includes(f.status)) return { code: 'errand.wrong-status', params: { status: f.status } };
      return f.answerPending ? null : { code: 'errand.already-answered' };
    },
  }),
  'errand.withdraw': rule<ErrandFacts>({
    actors: ['person'], describe: 'Withdraw an errand before its decision (the applicant; the parties are told).',
    check: (_a, f) => (!f.applicant ? { code: 'errand.not-applicant' } : FINAL_STATUSES.includes(f.status) ? { code: 'errand.wrong-status', params: { status: f.status } } : null),
  }),
  'errand.request-information': rule<ErrandFacts>({
    actors: ['staff'], roles: ['caseworker'], describe: 'Ask the applicant for more information (a caseworker of the errand\'s municipality; not a party request, which has no applicant).',
    check: (a, f) => caseworkerOf(a, f) ?? (f.status === 'submitted' && f.kind === 'errand' ? null : { code: 'errand.wrong-status', params: { status: f.status } }),
  }),
  'errand.decide': rule<ErrandFacts>({
    actors: ['staff'], roles: ['caseworker'], describe: 'Decide an errand (a caseworker of its municipality): the decision reaches every party and the principal. A party request is not decided: complete, the e-service goes on with it.',
    check: (a, f) => caseworkerOf(a, f) ?? (f.status === 'submitted' && f.kind === 'errand' ? null : { code: 'errand.wrong-status', params: { status: f.status } }),
  }),
  'errand.queue': rule({ actors: ['staff'], roles: ['caseworker'], describe: 'The errands of the caseworker\'s municipality, by service, status and age.' }),
  'party-request.create': rule({ actors: ['api-client'], describe: 'An e-service asks the register\'s parties to sign or confirm a document of its own.' }),
  'party-request.read': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['api-client'], describe: 'The state of a party request and each party\'s answer (the requesting municipality\'s clients).',
    check: (a, f) => (a.kind === 'api-client' && a.municipality === f.municipality ? null : { code: 'party-request.not-found' }),
  }),
  // ---- notifications -------------------------------------------------------------------------------
  'message.list-own': rule({ actors: ['person'], describe: 'My messages (the in-app inbox).' }),
  'message.mark-read': rule<{ recipient: string }>({
    actors: ['person'], describe: 'Mark one of my messages read.',
    check: (a, f) => (f.recipient === meOf(a) ? null : { code: 'message.not-found' }),
  }),
  'settings.read-own': rule({ actors: ['person'], describe: 'My contact channel, e-mail, phone and language.' }),
  'settings.edit-own': rule({ actors: ['person'], describe: 'Change my contact channel, e-mail, phone and language.' }),
  // personal data export (issue 11, item 9: GDPR access)
  'personal-data.export': rule({ actors: ['person'], describe: 'Download everything Puolesta holds about me (JSON or PDF): register record, settings, mandates, their log, errands, messages, audit entries, sessions.' }),
  'delivery.list': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['staff'], roles: ADMINS, describe: 'Pending, failed and dead-lettered messages of a municipality\'s residents (every municipality: the umbrella admin).',
    check: (a, f) => (f.municipality === null ? (a.kind === 'staff' && a.roles.includes('umbrella-admin') ? null : { code: 'access.role-required', params: { roles: ['umbrella-admin'] } }) : administers(a, { municipality: f.municipality })),
  }),
  'delivery.retry': rule<{ municipality: MunicipalityCode | null }>({
    actors: ['staff'], roles: ADMINS, describe: 'Send a failed or dead-lettered message again: the admin of the resident\'s municipality, or the umbrella admin; to anyone else the message does not exist.',
    // Delivery ids are sequential: another municipality's admin gets the answer for a missing id, never "not your municipality" naming the owner.
    check: (a, f) => (f.municipality === null ? (a.kind === 'staff' && a.roles.includes('umbrella-admin') ? null : { code: 'delivery.not-found' }) : administers(a, { municipality: f.municipality }) ? { code: 'delivery.not-found' } : null),
  }),
  'demo.read-outbox': rule({ actors: EVERYONE, describe: 'What the simulated channels received (demo mode only; the data is synthetic).' }),
  'service.read-metrics': rule({ actors: EVERYONE, describe: 'Prometheus metrics (no personal data; a bearer token when PUOLESTA_METRICS_TOKEN is set).' }),
  'ptv.import': rule<{ municipality: MunicipalityCode }>({ actors: ['staff'], roles: ADMINS, describe: 'Import the municipality\'s services from PTV and confirm their classes.', check: administers }),
  'coverage.read': rule<{ municipality: MunicipalityCode }>({ actors: ['staff'], roles: ADMINS, describe: 'Coverage report and PTV export of a municipality.', check: administers }),
} as const;

export type Action = keyof typeof ACCESS;
export const ACTIONS = Object.keys(ACCESS) as Action[];
type FactsOf<A extends Action> = (typeof ACCESS)[A] extends Rule<infer F> ? F : never;

/** The actor-only part: may this kind of actor (with its roles) ask for the action at all? */
export function actorRefusal(action: Action, actor: Actor): Refusal | null {
  const r: Rule<unknown> = ACCESS[action] as Rule<unknown>;
  if (!r.actors.includes(actor.kind)) {
    if (actor.kind === 'anonymous') return { code: 'auth.login-required' };
    if (r.actors.includes('person') && !r.actors.includes('staff')) return { code: 'access.citizens-only' };
    if (r.actors.includes('staff') && !r.actors.includes('person')) return { code: 'access.staff-only' };
    return { code: 'access.forbidden' };
  }
  if (r.roles && actor.kind === 'staff' && !r.roles.some((x) => actor.roles.includes(x))) return { code: 'access.role-required', params: { roles: [...r.roles] } };
  return null;
}

/** The whole rule: actor and object. Null when allowed. */
export function refusalOf<A extends Action>(action: A, actor: Actor, facts: FactsOf<A>): Refusal | null {
  const first = actorRefusal(action, actor);
  if (first) return first;
  const r = ACCESS[action] as Rule<FactsOf<A>>;
  return r.check ? r.check(actor, facts) : null;
}

export const permitted = <A extends Action>(action: A, actor: Actor, facts: FactsOf<A>): boolean => refusalOf(action, actor, facts) === null;

/**
 * What a person may do with a mandate, by the names the API gives (`permittedActions`). A pending
 * item is not ended like a mandate in force: the principal's side `withdraw`s a grant it has given
 * or approved that still waits (the revoke endpoint), the agent's side `cancel`s its request (the
 * renounce endpoint); `revoke` and `renounce` name only the ending of a mandate that has been given.
 * `approve` (a grant another guardian or signatory started) is answered yes or no, as `decide` is.
 */
export const MANDATE_ACTIONS = {
  revoke: 'mandate.revoke', renounce: 'mandate.renounce', withdraw: 'mandate.revoke', cancel: 'mandate.renounce',
  'read-log': 'mandate.read-log', decide: 'mandate.decide', approve: 'mandate.approve', 'download-receipt': 'mandate.download-receipt',
} as const;
export type MandateAction = keyof typeof MANDATE_ACTIONS;
/** Only for a pending item (`withdraw`, `cancel`) or only for one in force (`revoke`, `renounce`). */
const PENDING_ONLY: readonly MandateAction[] = ['withdraw', 'cancel'];
const GIVEN_ONLY: readonly MandateAction[] = ['revoke', 'renounce'];
export function mandateActions(actor: Actor, f: MandateFacts): MandateAction[] {
  const pending = f.status === 'requested';
  return (Object.keys(MANDATE_ACTIONS) as MandateAction[])
    .filter((n) => !(pending ? GIVEN_ONLY : PENDING_ONLY).includes(n))
    .filter((n) => permitted(MANDATE_ACTIONS[n], actor, f));
}

/** What a session may do, for `GET /api/v1/me` (menus and pages in the UI follow it). */
export const SESSION_ACTIONS: readonly Action[] = [
  'errand.create', 'errand.list-own', 'errand.queue', 'mandate.list-own', 'mandate.grant', 'mandate.request', 'party.lookup', 'staff.check', 'paper-mandate.register', 'staff.person-mandates',
  'catalogue-class.edit', 'issue.edit', 'bundle.edit', 'municipal-service.edit', 'ptv.import', 'coverage.read',
  'message.list-own', 'settings.edit-own', 'delivery.list',
  'mandate.list-log-own', 'session.end-all',
  'personal-data.export',
];
/** `self`: a person's standing towards themselves (a minor may not grant in their own matters). */
export function sessionActions(actor: Actor, self?: Standing): Action[] {
  return SESSION_ACTIONS.filter((a) => actorRefusal(a, actor) === null && !(a === 'mandate.grant' && self && decisionRefusal(self, [])));
}

/** What a caller may do with an errand, by the names the API gives (`permittedActions`). */
export const ERRAND_ACTIONS = {
  edit: 'errand.edit', attach: 'errand.attach', submit: 'errand.submit', withdraw: 'errand.withdraw', 'request-information': 'errand.request-information', decide: 'errand.decide',
} as const;
export type ErrandAction = keyof typeof ERRAND_ACTIONS | 'sign' | 'confirm' | 'decline' | 'download-summary';
export function errandActions(actor: Actor, f: ErrandFacts): ErrandAction[] {
  const out: ErrandAction[] = (Object.keys(ERRAND_ACTIONS) as (keyof typeof ERRAND_ACTIONS)[]).filter((n) => permitted(ERRAND_ACTIONS[n], actor, f));
  if (permitted('errand.respond', actor, f)) out.push(f.involvement === 'sign' ? 'sign' : 'confirm', 'decline');
  if (permitted('errand.download-summary', actor, f)) out.push('download-summary');
  return out;
}

export const sameActorParty = (a: PersonActor, p: PartyRef): boolean => sameParty({ type: 'person', id: a.id }, p);
