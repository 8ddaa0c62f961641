import { Type, type Static, type TSchema } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const Party = Type.Object({
  type: Type.Union([Type.Literal('person'), Type.Literal('organization')], { description: 'person: id is a personal identity code; organization: a business id' }),
  id: Type.String({ minLength: 1, maxLength: 32, description: 'Identity code or business id. Sent in bodies only, never in URLs.' }),
}, { ...strict, examples: [{ type: 'person', id: '210170-904K' }] });

export const PropertyTarget = Type.Object({
  type: Type.Literal('property'),
  id: Type.String({ minLength: 1, maxLength: 32 }),
}, { ...strict, examples: [{ type: 'property', id: '049-12-34-5' }] });

const IssueCode = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$', examples: ['parking-and-streets'] });
const Municipality = Type.String({ pattern: '^[0-9]{3}$', examples: ['753'] });
const DateStr = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Calendar date in Finland (valid for the whole day, Europe/Helsinki)', examples: ['2027-06-30'] });
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
}, { ...strict, examples: [{ errandRef: 'RL-2026-0042', actor: { type: 'person', id: '250585-916M' } }] });

export const UseResponse = Type.Object({
  id: Type.String(), mandateId: Type.String(), at: Type.String(), consumed: Type.Boolean(),
});

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

export const Created = Type.Object({ id: Type.String(), status: Status });

const PartyNamed = Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() });
export const MandateView = Type.Object({
  id: Type.String(), principal: PartyNamed, agent: PartyNamed,
  issues: Type.Array(Type.String()), bundle: Type.Optional(Type.String()),
  validFrom: DateStr, validUntil: DateStr, status: Status, oneOff: Type.Boolean(),
  target: Type.Optional(PropertyTarget), municipality: Type.Optional(Type.String()),
  source: Type.String({ description: 'electronic, request or paper' }),
  awaitingApprovalFrom: Type.Optional(Type.String()),
  createdAt: Type.String(),
  permittedActions: Type.Array(Type.String(), { description: 'What the caller may do next: revoke, renounce, read-log, decide, approve' }),
});
export const MandateLists = Type.Object({
  given: Type.Array(MandateView), received: Type.Array(MandateView), requestsIn: Type.Array(MandateView), requestsOut: Type.Array(MandateView),
});

export const LogResponse = Type.Object({
  entries: Type.Array(Type.Object({
    at: Type.String(), event: Type.String(),
    actor: Type.Object({ type: Type.String(), id: Type.Optional(Type.String()), name: Type.Optional(Type.String()), onBehalfOf: Type.Optional(Type.Object({ type: Type.String(), id: Type.String(), name: Type.Optional(Type.String()) })) }),
    errandRef: Type.Optional(Type.String()), municipality: Type.Optional(Type.String()), apiClient: Type.Optional(Type.String()),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
  })),
});

export const ProblemSchema = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(),
  field: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: ({ 400: 'Bad input; `field` names it', 401: 'Not authenticated', 403: 'Not allowed', 404: 'Not found (or not yours to see)', 409: 'Not in a state that allows this', 429: 'Too many requests' } as Record<number, string>)[c] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } }]));

export type { Static, TSchema };
