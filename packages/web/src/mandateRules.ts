/**
 * The mandate rules a form checks before sending: the domain's own pure functions
 * (`@puolesta/domain/rules`, the same the server calls), with their refusals turned into the texts
 * the form shows beside each field, by code, in the user's language. No rule is written here.
 */
import { useEffect, useState } from 'react';
import { DomainError, lastDayAsMinor, narrowTerms, termsRefusals, type LocalDate, type MandateTerms, type TermsContext } from '@puolesta/domain/rules';
import { api, type Answer } from './api.js';

export type FormContext = Answer<'/api/v1/me/people', 'get'>;
export type RelatedParty = FormContext['people'][number];

/** One refusal of a rule, with the API's field name (`validUntil`, `issues/0`), its code and params. */
export interface RuleProblem { field: string; code: string; params: Record<string, string | number | boolean | readonly string[]>; status: number }

const asProblem = (e: DomainError): RuleProblem => ({ field: e.field ?? '', code: e.code, params: { ...e.params }, status: 400 });

/** Every field's first refusal of the terms (issues, dates, 25 years, a minor's majority), as the server would refuse them. */
export function checkTerms(terms: { issues: readonly string[]; validFrom?: string | undefined; validUntil: string }, c: { today: string; knownIssues: readonly string[]; minorPrincipalBorn?: string | null }): RuleProblem[] {
  const t: MandateTerms = { issues: terms.issues, validFrom: (terms.validFrom ?? c.today) as LocalDate, validUntil: terms.validUntil as LocalDate };
  const ctx: TermsContext = {
    today: c.today as LocalDate, knownIssues: new Set(c.knownIssues),
    principalMinorUntil: c.minorPrincipalBorn ? lastDayAsMinor(c.minorPrincipalBorn as LocalDate) : null,
  };
  return termsRefusals(t, ctx).map(asProblem);
}

/** A principal's answer narrows the request, never widens it (the refusal, or null). */
export function checkNarrowing(requested: { issues: readonly string[]; validFrom: string; validUntil: string }, decision: { issues?: readonly string[]; validUntil?: string }): RuleProblem | null {
  try {
    narrowTerms(
      { issues: requested.issues, validFrom: requested.validFrom as LocalDate, validUntil: requested.validUntil as LocalDate },
      { ...(decision.issues ? { issues: decision.issues } : {}), ...(decision.validUntil ? { validUntil: decision.validUntil as LocalDate } : {}) },
    );
    return null;
  } catch (e) {
    if (e instanceof DomainError) return asProblem(e);
    throw e;
  }
}

/**
 * Whom the forms offer, the matters for each kind of principal and today's date. `loading` until
 * the answer (or its failure: then `context` stays null and the form works without the offers).
 */
export function useFormContext(enabled: boolean): { context: FormContext | null; loading: boolean } {
  const [state, setState] = useState<{ context: FormContext | null; loading: boolean }>({ context: null, loading: enabled });
  useEffect(() => {
    if (!enabled) { setState({ context: null, loading: false }); return; }
    let live = true;
    api<FormContext>('GET', '/api/v1/me/people').then(
      (v) => { if (live) setState({ context: v, loading: false }); },
      () => { if (live) setState({ context: null, loading: false }); },
    );
    return () => { live = false; };
  }, [enabled]);
  return state;
}

/**
 * Moves focus to the first field in error, in the form's order (not to the top of the page): the
 * field's own input, or the first input of a group in error.
 */
export function focusFirstError(form: HTMLElement | null) {
  if (!form) return;
  requestAnimationFrame(() => {
    const candidates = [...form.querySelectorAll<HTMLElement>('[aria-invalid="true"], [data-field-error="true"]')];
    const first = candidates[0];
    if (!first) return;
    const target = first.matches('input, select, textarea, button, [tabindex]') ? first : first.querySelector<HTMLElement>('input, select, textarea, button, [tabindex]') ?? first;
    target.focus();
    target.scrollIntoView?.({ block: 'center' });
  });
}
