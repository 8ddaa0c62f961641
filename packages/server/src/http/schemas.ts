import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ALL_ERROR_CODES, ERROR_CODES } from '@puolesta/domain';
import { PARTIES, RECOMMENDED, SUBJECTS } from '../services/catalogue.service.js';

export const strict = { additionalProperties: false } as const;

/**
 * Shared shapes: each is registered once with the app (`app.addSchema`, see `sharedSchemas`) and
 * used by reference, so the OpenAPI document names it under `components.schemas` and the generated
 * client gets one type for it. The TypeScript type stays the shape's own.
 */
const SHARED: TSchema[] = [];
function shared<T extends TSchema>(id: string, schema: T) {
  SHARED.push({ ...schema, $id: id });
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}
/** Every shared shape, to be added to the app before any route (validation and serialisation resolve them). */
export const sharedSchemas = (): readonly TSchema[] => SHARED;

/**
 * One of these strings. The document names the values; the handlers' TypeScript sees a plain
 * string (they build answers from database rows, which TypeScript knows only as strings).
 */
export const StringEnum = (values: readonly string[], options: { description?: string } = {}) => Type.Unsafe<string>({ type: 'string', enum: [...values], ...options });
/** An empty answer (204, 304). */
/** The `Idempotency-Key` header of a command that may be retried (services/idempotency.ts). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The same key does it once: a retry with the same key and request gets the first answer; the key with another request is refused (409)' })),
});
export const NoContent = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });

/** A value or null (OpenAPI 3.0 `nullable`). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** A party as a caller names it: person (identity code) or organisation (business id). */
export const Party = shared('PartyRef', Type.Object({
  type: Type.Unsafe<'person' | 'organization'>({ type: 'string', enum: ['person', 'organization'], description: 'person: id is a personal identity code; organization: a business id' }),
  id: Type.String({ minLength: 1, maxLength: 32, description: 'Identity code or business id. Sent in bodies only, never in URLs.' }),
}, { ...strict, examples: [{ type: 'person', id: '210170-904K' }] }));

export const PropertyTarget = shared('PropertyTarget', Type.Object({
  type: Type.Literal('property'),
  id: Type.String({ minLength: 1, maxLength: 32 }),
}, { ...strict, examples: [{ type: 'property', id: '049-12-34-5' }] }));

/** A property as a view shows it (chrome, issue 10): its id and its street address from the property register (null when it has none). */
export const PropertyView = shared('PropertyView', Type.Object({
  type: Type.Literal('property'),
  id: Type.String(),
  address: Nullable(Type.String()),
}, { examples: [{ type: 'property', id: '245-1-12-3', address: 'Kauppakaari 5, Kerava' }] }));

/** A party with its name as the registers give it. */
export const NamedParty = shared('NamedParty', Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() }, { examples: [{ type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }] }));

/** A name in Finland's languages plus English: every catalogue term has all three. */
export const Name3 = shared('Name3', Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() }, { examples: [{ fi: 'Asuminen', sv: 'Boende', en: 'Housing' }] }));
/** Some of the three languages (link titles). */
export const Name3Partial = Type.Object({ fi: Type.Optional(Type.String({ maxLength: 200 })), sv: Type.Optional(Type.String({ maxLength: 200 })), en: Type.Optional(Type.String({ maxLength: 200 })) }, strict);

const POLICY_KINDS = ['no-need', 'alone', 'mandate', 'multi-signature'] as const;
const ALTERNATIVES = ['attest', 'notify', 'confirm'] as const;
/** What acting on behalf requires in a service; `alternative` only with `alone`. */
export const Policy = shared('Policy', Type.Object({
  kind: Type.Unsafe<(typeof POLICY_KINDS)[number]>({ type: 'string', enum: [...POLICY_KINDS] }),
  alternative: Type.Optional(Type.Unsafe<(typeof ALTERNATIVES)[number]>({ type: 'string', enum: [...ALTERNATIVES] })),
}, { ...strict, examples: [{ kind: 'alone', alternative: 'confirm' }] }));

export const MunicipalityCode = Type.String({ pattern: '^[0-9]{3}$', description: 'Statistics Finland municipality code', examples: ['753'] });
export const MunicipalityParams = Type.Object({ code: MunicipalityCode });
export const ServiceCode = Type.String({ minLength: 1, maxLength: 100, examples: ['ece-application'] });
export const ServiceParams = Type.Object({ code: MunicipalityCode, serviceCode: ServiceCode });

const IssueCode = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$', examples: ['parking-and-streets'] });
const Municipality = MunicipalityCode;
export const DateStr = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Calendar date in Finland (valid for the whole day, Europe/Helsinki)', examples: ['2027-06-30'] });
/** An instant, ISO 8601 in UTC. */
export const Instant = Type.String({ description: 'ISO 8601 instant', examples: ['2026-12-01T08:00:00.000Z'] });
// Plain string enums rather than unions of literals: same contract, and the response serialiser
// does not have to try each alternative (anyOf) on every answer.
const BASES = ['self', 'mandate', 'guardianship', 'court-guardianship', 'organization-role'] as const;
const Basis = Type.Unsafe<(typeof BASES)[number]>({ type: 'string', enum: [...BASES] });
const NullableBasis = Type.Unsafe<(typeof BASES)[number] | null>({ type: 'string', enum: [...BASES, null], nullable: true });
const STATUSES = ['requested', 'active', 'rejected', 'revoked', 'renounced', 'expired', 'consumed'] as const;
const Status = Type.Unsafe<(typeof STATUSES)[number]>({ type: 'string', enum: [...STATUSES] });

export const CheckBody = Type.Object({
  actor: Party,
  principal: Party,
  issue: IssueCode,
  target: Type.Optional(PropertyTarget),
  municipality: Type.Optional(Municipality),
  at: Type.Optional(Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 instant; default now', examples: ['2026-12-01T10:00:00+02:00'] })),
}, { ...strict, examples: [{ actor: { type: 'person', id: '210170-904K' }, principal: { type: 'person', id: '050844-9057' }, issue: 'housing' }] });
export type CheckBody = Static<typeof CheckBody>;

export const Decision = Type.Object({
  allowed: Type.Boolean(),
  basis: NullableBasis,
  mandateId: Type.Optional(Type.String()),
  validUntil: Type.Optional(DateStr),
  oneOff: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String({ description: 'Why not, in plain words' })),
  reasonCode: Type.Optional(Type.String({ description: 'Machine-readable reason: no-basis, wrong-issue, other-target, other-municipality, requested, rejected, revoked, renounced, consumed, expired, not-yet-valid, guardianship-ended, outside-court-scope, court-guardianship-ended, joint-signing-required, no-signing-rights' })),
}, { examples: [{ allowed: true, basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31', oneOff: false }, { allowed: false, basis: null, reason: 'The principal has revoked the mandate.', reasonCode: 'revoked' }] });

export const PrincipalsBody = Type.Object({
  actor: Party,
  issue: IssueCode,
  at: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
}, { ...strict, examples: [{ actor: { type: 'person', id: '210170-904K' }, issue: 'housing' }] });

export const PrincipalsResponse = Type.Object({
  principals: Type.Array(Type.Object({
    type: Type.String(), id: Type.String(), name: Type.String(), basis: Basis,
    mandateId: Type.Optional(Type.String()), validUntil: Type.Optional(DateStr), oneOff: Type.Optional(Type.Boolean()),
    target: Type.Optional(PropertyTarget),
  })),
}, { examples: [{ principals: [{ type: 'person', id: '050844-9057', name: 'Veikko Lindholm', basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31' }] }] });

export const MandateIdParams = Type.Object({ mandateId: Type.String({ minLength: 1, maxLength: 64 }) });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const UseBody = Type.Object({
  errandRef: Type.String({ minLength: 1, maxLength: 200, description: "The e-service's own reference of the errand" }),
  actor: Party,
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "The common catalogue's service the errand is in (the principal's log names it)" })),
}, { ...strict, examples: [{ errandRef: 'RL-2026-0042', actor: { type: 'person', id: '250585-916M' }, service: 'building-permit' }] });

export const UseResponse = Type.Object({
  id: Type.String(), mandateId: Type.String(), at: Instant, consumed: Type.Boolean(),
}, { examples: [{ id: '42', mandateId: 'veikko-markku', at: '2026-12-01T08:00:00.000Z', consumed: false }] });

const MandateTermsFields = {
  issues: Type.Optional(Type.Array(IssueCode, { maxItems: 100 })),
  bundle: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  validFrom: Type.Optional(DateStr),
  validUntil: DateStr,
  oneOff: Type.Optional(Type.Boolean()),
  target: Type.Optional(PropertyTarget),
  municipality: Type.Optional(Municipality),
  onBehalfOf: Type.Optional(Party),
};

export const GrantBody = Type.Object({ agent: Party, ...MandateTermsFields }, { ...strict, examples: [{ agent: { type: 'person', id: '280279-910D' }, bundle: 'owning-a-property', validUntil: '2027-12-31' }] });
export const RequestBody = Type.Object({ principal: Party, ...MandateTermsFields }, { ...strict, examples: [{ principal: { type: 'person', id: '050844-9057' }, issues: ['housing'], validUntil: '2027-12-31' }] });
export const PaperBody = Type.Object({
  principal: Party, agent: Party,
  ...MandateTermsFields,
  document: Type.Object({
    reference: Type.String({ minLength: 1, maxLength: 200, description: 'Archive reference of the signed paper' }),
    signedOn: DateStr,
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    signedBy: Type.Optional(Type.Array(Party, {
      maxItems: 20,
      description: 'Who signed the paper: for an adult the principal (the default), for a minor every guardian, for an organisation its signing rule (one sole or two joint signatories).',
    })),
  }, strict),
}, { ...strict, description: 'The mandate is limited to the caseworker\'s own municipality (`municipality`, if given, must be it).' });

export const DecisionBody = Type.Object({
  decision: Type.Union([Type.Literal('grant'), Type.Literal('reject')]),
  issues: Type.Optional(Type.Array(IssueCode, { maxItems: 100 })),
  validFrom: Type.Optional(DateStr),
  validUntil: Type.Optional(DateStr),
  onBehalfOf: Type.Optional(Party),
}, { ...strict, examples: [{ decision: 'grant', issues: ['housing'], validUntil: '2027-06-30' }] });

/** Optional body of revoke / renounce: whom the caller acts for (inferred from the mandate when absent). */
export const ActingBody = Type.Object({ onBehalfOf: Type.Optional(Party) }, strict);

export const Created = shared('Created', Type.Object({ id: Type.String(), status: Status }, { examples: [{ id: '5b0e0a7e-8d53-4bd5-9c55-5d3b5f8e6a10', status: 'active' }] }));

/**
 * What the caller may do next with a mandate, from the access module's rules: `decide` a request to
 * my side nobody there has answered; `approve` a grant another guardian or signatory started.
 */
const MANDATE_ACTIONS = ['revoke', 'renounce', 'withdraw', 'cancel', 'read-log', 'decide', 'approve', 'download-receipt'] as const;
export const MandateAction = Type.Unsafe<(typeof MANDATE_ACTIONS)[number]>({ type: 'string', enum: [...MANDATE_ACTIONS] });

export const MandateView = shared('MandateView', Type.Object({
  id: Type.String(), principal: NamedParty, agent: NamedParty,
  issues: Type.Array(Type.String()), bundle: Type.Optional(Type.String()),
  validFrom: DateStr, validUntil: DateStr, status: Status, oneOff: Type.Boolean(),
  target: Type.Optional(PropertyView), municipality: Type.Optional(Type.String()),
  source: Type.String({ description: 'electronic, request or paper' }),
  awaitingApprovalFrom: Type.Optional(Type.Unsafe<'guardians' | 'second-signatory' | 'principal'>({ type: 'string', enum: ['guardians', 'second-signatory', 'principal'] })),
  side: StringEnum(['principal', 'agent'], { description: "The caller's side of it: the principal's (the caller, or whom the caller decides for, gives it) or the agent's" }),
  onBehalfOf: Type.Optional(NamedParty),
  startedBy: Type.Optional(NamedParty),
  approvedBy: Type.Array(NamedParty, { description: "Who on the principal's side has said yes so far" }),
  waitingFor: Type.Optional(Type.Array(NamedParty, { description: 'Pending: whom it still waits for, where the registers name them (the guardians who have not approved, the principal); empty for an organisation' })),
  endedWhilePending: Type.Optional(Type.Boolean({ description: 'Withdrawn (principal\'s side) or cancelled (agent\'s side) while it still waited: it never took effect' })),
  createdAt: Instant,
  forErrand: Type.Optional(Type.Object({
    id: Type.String(), ref: Type.String(), service: Type.String(), serviceName: Name3, municipality: Type.String(),
  }, { description: 'A request an errand made when its applicant had no basis (situation A): the errand it is for' })),
  permittedActions: Type.Array(MandateAction, { description: 'What the caller may do next: revoke (the principal\'s side ends a mandate in force), renounce (the agent gives one up), withdraw (the principal\'s side takes back a grant it gave or approved that still waits), cancel (the agent\'s side takes back its request), read-log, decide (answer a request nobody on the principal\'s side has answered), approve (say yes or no to a grant another guardian or signatory started), download-receipt (a PDF receipt)' }),
  // forms (issue 10): the agent sees that the principal gave less than asked
  askedFor: Type.Optional(Type.Object({ issues: Type.Array(Type.String()), validFrom: DateStr, validUntil: DateStr }, {
    description: 'A request granted narrower than asked (GET /api/v1/mandates/{id} only): the terms the agent asked for',
  })),
}, {
  examples: [{
    id: 'veikko-markku', principal: { type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }, agent: { type: 'person', id: '210170-904K', name: 'Markku Lindholm' },
    issues: ['housing'], validFrom: '2026-01-01', validUntil: '2030-12-31', status: 'active', oneOff: false, source: 'electronic',
    side: 'principal', startedBy: { type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }, approvedBy: [{ type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }],
    createdAt: '2026-01-01T08:00:00.000Z', permittedActions: ['revoke', 'read-log'],
  }],
}));
export const MandateLists = shared('MandateLists', Type.Object({
  given: Type.Array(MandateView), received: Type.Array(MandateView), requestsIn: Type.Array(MandateView), requestsOut: Type.Array(MandateView),
}, { examples: [{ given: [], received: [], requestsIn: [], requestsOut: [] }] }));

// ---- views: the mandates of those one decides for (guardians, court guardians, signatories) ------
export const PartyMandates = shared('PartyMandates', Type.Object({
  party: NamedParty,
  relation: StringEnum(['guardian', 'court-guardian', 'signatory'], { description: 'How the caller stands for the party: guardian of a minor child, court-appointed guardian (within the court\'s scope), signatory of an organisation' }),
  lists: MandateLists,
}, { examples: [{ party: { type: 'person', id: '120411A9061', name: 'Ella Nyström' }, relation: 'guardian', lists: { given: [], received: [], requestsIn: [], requestsOut: [] } }] }));
export const MyMandates = shared('MyMandates', Type.Object({
  given: Type.Array(MandateView, { description: 'Mandates I have given myself' }),
  received: Type.Array(MandateView, { description: 'Mandates I have received myself' }),
  requestsIn: Type.Array(MandateView, { description: 'Everything that waits for my answer: requests to me, and to the children, wards and organisations I decide for' }),
  requestsOut: Type.Array(MandateView, { description: 'My own pending requests' }),
  parties: Type.Array(PartyMandates, { description: 'Per child, ward and organisation I decide for: its mandates, as the access rules let me see them' }),
}, { examples: [{ given: [], received: [], requestsIn: [], requestsOut: [], parties: [] }] }));

export const LogEntry = shared('LogEntry', Type.Object({
  at: Instant, event: Type.String(),
  mandateId: Type.String({ description: 'The mandate the entry is about' }),
  actor: Type.Object({
    type: Type.Unsafe<'person' | 'organization' | 'staff' | 'api-client' | 'system'>({ type: 'string', enum: ['person', 'organization', 'staff', 'api-client', 'system'] }),
    id: Type.Optional(Type.String()), name: Type.Optional(Type.String()),
    municipality: Type.Optional(Type.String({ description: "Staff: the caseworker's municipality" })),
    onBehalfOf: Type.Optional(Type.Object({ type: Type.String(), id: Type.String(), name: Type.Optional(Type.String()) })),
  }),
  errandRef: Type.Optional(Type.String()), municipality: Type.Optional(Type.String()), apiClient: Type.Optional(Type.String()),
  service: Type.Optional(Type.Object({ code: Type.String(), name: Name3 }, { description: "The catalogue's service the errand was in" })),
  eService: Type.Optional(Type.Object({ id: Type.String(), name: Name3, municipality: Type.String() }, { description: "The e-service that used the mandate: its display name (its id when none is set) and municipality" })),
  mandate: Type.Optional(Type.Object({ principal: Type.String(), agent: Type.String() }, { description: 'In the log across mandates: whose mandate, by name' })),
  details: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { examples: [{
  at: '2026-12-01T08:00:00.000Z', event: 'used', mandateId: 'veikko-markku', actor: { type: 'person', id: '210170-904K', name: 'Markku Lindholm' }, errandRef: 'RL-2026-0042', municipality: '245', apiClient: 'demo-245',
  service: { code: 'building-permit', name: { fi: 'Rakennuslupa', sv: 'Bygglov', en: 'Building permit' } },
  eService: { id: 'demo-245', name: { fi: 'Keravan asiointipalvelu', sv: 'Kervo stads e-tjänst', en: 'Kerava e-services' }, municipality: '245' },
}] }));
export const LogResponse = Type.Object({
  entries: Type.Array(LogEntry, { description: 'Newest first' }),
  next: Type.Optional(Type.String({ description: 'Cursor of the next (older) page; absent on the last page' })),
}, { examples: [{ entries: [] }] });

// ---- the session ---------------------------------------------------------------------------------

const SessionExtras = {
  name: Type.String({ description: 'Who is logged in, as the header shows it' }),
  municipality: Nullable(Type.String({ description: "The session's own municipality: a citizen's home municipality, a staff member's employer" })),
  permittedActions: Type.Array(Type.String(), { description: "What this session may do, by the access module's action names (e.g. 'mandate.grant', 'staff.check', 'municipal-service.edit'); the UI offers only these" }),
  csrfToken: Type.String({ description: 'Send back as the X-CSRF-Token header with every state-changing request' }),
  // chrome (issue 10): the navigation's pending count.
  pending: Type.Object({
    mandates: Type.Integer({ minimum: 0, description: "Mandate requests and co-approvals waiting for this person's answer (the 'requests to me' list)" }),
    errands: Type.Integer({ minimum: 0, description: "Errands waiting for this person (a signature, a confirmation, an answer to the caseworker); for a caseworker, the queue's sent errands waiting for a decision" }),
  }, { description: 'What waits for the logged-in user, counted (never whose items: no one else\'s details)' }),
};
/** What the person may do for a child or organisation they stand for. */
const PartyActions = Type.Array(StringEnum(['grant', 'request', 'read-mandates']), { description: 'grant: give mandates for it; request: ask for mandates for it; read-mandates: see its mandates' });
export const PersonSession = Type.Object({
  kind: StringEnum(['person']),
  person: Type.Object({
    id: Type.String(), firstName: Type.String(), lastName: Type.String(), name: Type.String(), birthDate: DateStr, language: Type.String(), municipality: Nullable(Type.String()),
  }),
  children: Type.Array(Type.Object({ type: StringEnum(['person']), id: Type.String(), name: Type.String(), birthDate: DateStr, permittedActions: PartyActions })),
  organizations: Type.Array(Type.Object({
    type: StringEnum(['organization']), id: Type.String(), name: Type.String(), role: Type.String({ description: 'The first of the person\'s roles there (all of them in `roles`)' }),
    roles: Type.Array(Type.String(), { description: "Every role the person has in the organisation (it is listed once)" }),
    signing: Type.Unsafe<'alone' | 'jointly' | 'none'>({ type: 'string', enum: ['alone', 'jointly', 'none'] }),
    permittedActions: PartyActions,
  })),
  wards: Type.Array(Type.Object({
    type: StringEnum(['person']), id: Type.String(), name: Type.String(), scope: Type.Array(Type.String()), validUntil: Nullable(DateStr), permittedActions: PartyActions,
  }), { description: "Persons under the caller's court-appointed guardianship (edunvalvonta), with the court's scope" }),
  properties: Type.Array(Type.Object({ id: Type.String(), municipality: Type.String(), address: Nullable(Type.String()), share: Nullable(Type.String()) })),
  ...SessionExtras,
});
export const StaffMember = Type.Object({ key: Type.String(), name: Type.String(), municipality: Nullable(Type.String()), roles: Type.Array(Type.String()) });
export const StaffSession = Type.Object({ kind: StringEnum(['staff']), staff: StaffMember, ...SessionExtras });
export const Me = Type.Union([PersonSession, StaffSession], {
  examples: [
    { kind: 'person', person: { id: '210170-904K', firstName: 'Markku', lastName: 'Lindholm', name: 'Markku Lindholm', birthDate: '1970-01-21', language: 'fi', municipality: '245' }, children: [], organizations: [], wards: [], properties: [], name: 'Markku Lindholm', municipality: '245', pending: { mandates: 1, errands: 2 }, permittedActions: ['mandate.list-own', 'mandate.grant', 'mandate.request', 'party.lookup'], csrfToken: 'k3VYh1oQ2c9b7mXo2Yg0Zq4tP1sA8dE5fG6hJ7kL9mN' },
    { kind: 'staff', staff: { key: 'caseworker-245', name: 'Käsittelijä Kerava', municipality: '245', roles: ['caseworker'] }, name: 'Käsittelijä Kerava', municipality: '245', pending: { mandates: 0, errands: 4 }, permittedActions: ['party.lookup', 'staff.check', 'paper-mandate.register'], csrfToken: 'k3VYh1oQ2c9b7mXo2Yg0Zq4tP1sA8dE5fG6hJ7kL9mN' },
  ],
});

// ---- the service catalogue -----------------------------------------------------------------------

const Title = Type.String({ description: 'The name in the language asked for (Accept-Language: fi, sv or en)' });
export const Issue = Type.Object({ code: Type.String(), name: Name3, title: Title }, { examples: [{ code: 'housing', name: { fi: 'Asuminen', sv: 'Boende', en: 'Housing' }, title: 'Asuminen' }] });
export const Bundle = Type.Object({ code: Type.String(), name: Name3, issues: Type.Array(Type.String()), title: Title });
export const MunicipalityView = Type.Object({ code: Type.String(), name: Name3, languages: Type.Array(Type.String()), title: Title }, { examples: [{ code: '245', name: { fi: 'Kerava', sv: 'Kervo', en: 'Kerava' }, languages: ['fi'], title: 'Kerava' }] });

const Subject = StringEnum(SUBJECTS, { description: 'Whose matter the service is' });
const Parties = StringEnum(PARTIES, { description: 'Who else takes part' });
const Recommended = StringEnum(RECOMMENDED);
const ServiceClassFields = {
  code: Type.String(), name: Name3, description: Type.Optional(Name3), subject: Subject, issues: Type.Array(Type.String()),
  parties: Parties, policy: Policy, recommendedMandate: Type.Optional(Recommended), version: Type.Integer(),
};
export const ServiceClass = shared('ServiceClass', Type.Object({ ...ServiceClassFields, title: Title }, {
  examples: [{ code: 'ece-application', name: { fi: 'Varhaiskasvatushakemus', sv: 'Ansökan om småbarnspedagogik', en: 'Early childhood education application' }, subject: 'child', issues: ['early-childhood-education'], parties: 'guardians-of-subject', policy: { kind: 'alone', alternative: 'notify' }, version: 1, title: 'Varhaiskasvatushakemus' }],
}));

export const ServiceLink = Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }), title: Type.Optional(Name3Partial) }, strict);
export const ServiceContact = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 50 })), email: Type.Optional(Type.String({ maxLength: 200 })),
  address: Type.Optional(Type.String({ maxLength: 500 })), hours: Type.Optional(Type.String({ maxLength: 500 })),
}, strict);
const MunicipalServiceFields = {
  code: Type.String(), municipality: Type.String(), name: Name3, commonClass: Type.String(), subject: Subject, issues: Type.Array(Type.String()), parties: Parties,
  policy: Policy, commonPolicy: Policy, overridden: Type.Boolean(), recommendedMandate: Type.Optional(Recommended), catalogueVersion: Type.Integer(),
  guidance: Name3, links: Type.Array(Type.Unsafe<unknown>(ServiceLink)), contact: Type.Optional(Type.Unsafe<Record<string, unknown>>(ServiceContact)), ptvId: Type.Optional(Type.String()),
};
const municipalServiceExample = {
  code: 'ece-application', municipality: '245', name: { fi: 'Varhaiskasvatushakemus', sv: 'Ansökan om småbarnspedagogik', en: 'Early childhood education application' }, commonClass: 'ece-application',
  subject: 'child', issues: ['early-childhood-education'], parties: 'guardians-of-subject', policy: { kind: 'alone', alternative: 'notify' }, commonPolicy: { kind: 'alone', alternative: 'notify' },
  overridden: false, catalogueVersion: 1, guidance: { fi: '…', sv: '…', en: '…' }, links: [],
};
/** A municipality's service with the policy in force there (the admin's view, without `title`). */
export const MunicipalServiceSaved = Type.Object(MunicipalServiceFields, { examples: [municipalServiceExample] });
/** A municipality's service as the public read API shows it. */
export const MunicipalService = shared('MunicipalService', Type.Object({ ...MunicipalServiceFields, title: Title }, { examples: [{ ...municipalServiceExample, title: 'Varhaiskasvatushakemus' }] }));
/** One service in detail: also its errand form (JSON Schema with fi/sv/en labels and a filled-in example). */
export const MunicipalServiceDetail = shared('MunicipalServiceDetail', Type.Object({
  ...MunicipalServiceFields, title: Title,
  form: Type.Optional(Type.Object({}, {
    additionalProperties: true,
    description: 'The errand form as JSON Schema (draft 2020-12): `x-title`, `x-help` and `x-enum-titles` give labels in fi, sv and en; `examples[0]` is a valid filled-in form. The server validates errand data with this same schema.',
  })),
}, { examples: [{ ...municipalServiceExample, title: 'Varhaiskasvatushakemus', form: { type: 'object', 'x-title': { fi: 'Varhaiskasvatushakemus', sv: 'Ansökan om småbarnspedagogik', en: 'Early childhood education application' }, properties: {}, examples: [{}] } }] }));

export const ListDiff = shared('ListDiff', Type.Object({
  added: Type.Array(Type.String()), removed: Type.Array(Type.String()),
  changed: Type.Array(Type.Object({ code: Type.String(), fields: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })) })),
}, { examples: [{ added: ['boating'], removed: [], changed: [{ code: 'housing', fields: { name: { from: { fi: 'Asuminen', sv: 'Boende', en: 'Housing' }, to: { fi: 'Asuminen ja asunto', sv: 'Boende', en: 'Housing' } } } }] }] }));

export const CatalogueVersion = Type.Object({ version: Type.Integer(), createdAt: Instant, createdBy: Nullable(Type.String()), note: Nullable(Type.String()) });

// ---- problems --------------------------------------------------------------------------------------

export const ProblemSchema = shared('Problem', Type.Object({
  type: Type.String({ description: '`/problems/<code>` (or about:blank)' }), title: Type.String(), status: Type.Integer(), detail: Type.String(),
  code: StringEnum(ALL_ERROR_CODES, {
    description: 'Stable code of the refusal; `type` is `/problems/<code>`. Clients say it in their own words with `params`. Every code, with its English text:\n\n'
      + ALL_ERROR_CODES.map((c) => `- \`${c}\` (${ERROR_CODES[c].kind}): ${ERROR_CODES[c].en}`).join('\n'),
  }),
  params: Type.Object({}, { additionalProperties: true, description: "Values the code's text refers to, by name (never an identity code)" }),
  field: Type.Optional(Type.String({ description: 'The input at fault, as a dotted path (e.g. `actor.id`)' })),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({
    field: Type.String(), code: StringEnum(ALL_ERROR_CODES), params: Type.Object({}, { additionalProperties: true }), message: Type.String(),
  }))),
}, {
  description: 'RFC 9457 problem details (application/problem+json)',
  examples: [{ type: '/problems/mandate.too-long', title: 'Bad request', status: 400, detail: 'A mandate is valid for at most 25 years.', code: 'mandate.too-long', params: { maxYears: 25 }, field: 'validUntil' }],
}));

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Bad input; `field` names it', 401: 'Not authenticated', 403: 'Not allowed', 404: 'Not found (or not yours to see)', 409: 'Not in a state that allows this',
  413: 'Too large', 415: 'Unsupported media type', 429: 'Too many requests',
};
/** The problem responses a route can give, each `application/problem+json`. */
export const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: PROBLEM_TEXT[c] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } }]));

/** No authentication (explicitly: an empty security requirement list). */
export const PUBLIC: { [k: string]: string[] }[] = [];
export const SESSION = [{ session: [] as string[] }];
export const API_CLIENT = [{ apiClient: [] as string[] }];

export type { Static, TSchema };
