/**
 * How an identity code is shown where the full code is not needed (decision 0017): the birth date and
 * century sign only, e.g. `010144-****`. One function for the server and the UI (`@puolesta/domain/masking`,
 * no dependencies, so the web bundle takes nothing else with it).
 */
export const maskIdentityCode = (code: string): string => `${code.slice(0, 6)}${code[6] ?? ''}****`;

/** A party's id as shown: a person's identity code masked, an organisation's business id (public) as it is. */
export const shownPartyId = (party: { readonly type: string; readonly id: string }): string =>
  (party.type === 'person' ? maskIdentityCode(party.id) : party.id);
