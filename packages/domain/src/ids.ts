/** Branded identifiers: a child's id cannot be passed where a mandate id is meant. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type PersonId = Brand<string, 'PersonId'>; // Finnish personal identity code (sensitive)
export type OrganizationId = Brand<string, 'OrganizationId'>; // Finnish business id (Y-tunnus)
export type PropertyId = Brand<string, 'PropertyId'>;
export type MandateId = Brand<string, 'MandateId'>;
export type IssueCode = string;
export type MunicipalityCode = Brand<string, 'MunicipalityCode'>; // three digits, e.g. 753

// Values from a trusted source (the database, an already validated input) take their brand here.
// Input from outside is parsed where it enters (services/parties.ts), never cast.
export const asPersonId = (s: string) => s as PersonId;
export const asOrganizationId = (s: string) => s as OrganizationId;
export const asPropertyId = (s: string) => s as PropertyId;
export const asMandateId = (s: string) => s as MandateId;
export const asMunicipalityCode = (s: string) => s as MunicipalityCode;

export type PartyType = 'person' | 'organization';
export interface PartyRef {
  readonly type: PartyType;
  readonly id: string;
}
export interface TargetRef {
  readonly type: 'property';
  readonly id: string;
}

export const partyKey = (p: PartyRef): string => `${p.type === 'person' ? 'p' : 'o'}:${p.id}`;
export const sameParty = (a: PartyRef, b: PartyRef): boolean => a.type === b.type && a.id === b.id;
