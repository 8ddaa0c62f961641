import { useEffect, type MouseEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Heading, InlineAlert, Link, LoadingSpinner, Paragraph } from 'suomifi-ui-components';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api.js';

/** A link inside the app: real href (works with a new tab), router navigation on click. */
export function AppLink({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const navigate = useNavigate();
  return (
    <Link
      href={to}
      data-testid={testId}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </Link>
  );
}

/** Page heading that also names the browser tab. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} – Puolesta`;
  }, [title]);
  return (
    <Heading variant="h1" mb="m" tabIndex={-1} id="page-title">
      {children}
    </Heading>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <LoadingSpinner text={t('common.loading')} textAlign="right" variant="small" />;
}

/** A message for a failure that belongs to no single field. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text = errorText(error, t);
  return (
    <InlineAlert status="error" mb="m" role="alert" data-testid="error">
      {text}
    </InlineAlert>
  );
}

export function errorText(error: unknown, t: (k: string) => string): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    if (error.status === 401) return t('errors.loggedOut');
    if (error.status === 403) return error.problem.detail ? `${t('errors.forbidden')} ${error.problem.detail}` : t('errors.forbidden');
    if (error.status === 404 && !error.problem.detail) return t('errors.notFound');
    if (error.status >= 500) return t('errors.server');
    return error.problem.detail || error.problem.title;
  }
  return t('errors.server');
}

/**
 * Puts a problem's `detail` next to the field it names. Returns the error when no field of the
 * form matches (the caller shows it on top of the form), or null when every message found a field.
 */
export function applyProblem<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fieldFor: (apiField: string) => Path<T> | null): unknown {
  if (!(error instanceof ApiError) || error.status >= 500 || error.status === 0) return error;
  const p = error.problem;
  const items = p.errors?.length ? p.errors.map((e) => ({ field: e.field, message: p.errors!.length === 1 ? p.detail || e.message : `${e.field}: ${e.message}` })) : p.field ? [{ field: p.field, message: p.detail }] : [];
  let placed = 0;
  for (const it of items) {
    const f = fieldFor(it.field);
    if (f) {
      setError(f, { type: 'server', message: it.message }, { shouldFocus: placed === 0 });
      placed++;
    }
  }
  return placed > 0 ? null : error;
}

/** Maps the API's field names (e.g. `agent.id`, `issues/2`) onto a form's own field names. */
export function fieldMapper<K extends string>(map: Record<string, K>) {
  return (apiField: string): K | null => {
    if (map[apiField]) return map[apiField]!;
    const head = apiField.split(/[./]/)[0] ?? '';
    return map[head] ?? null;
  };
}

export function Empty({ children }: { children: ReactNode }) {
  return <Paragraph mb="m">{children}</Paragraph>;
}
