import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Heading, InlineAlert, Link, LoadingSpinner, Paragraph } from 'suomifi-ui-components';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import i18next from 'i18next';
import { ApiError, type Problem, type ProblemParams } from '../api.js';
import { formatDate } from '../dates.js';

/** A link inside the app: real href (works with a new tab), router navigation on click. */
export function AppLink({ to, children, testId, current }: { to: string; children: ReactNode; testId?: string; current?: boolean }) {
  const navigate = useNavigate();
  return (
    <Link
      href={to}
      data-testid={testId}
      {...(current ? { 'aria-current': 'page' as const } : {})}
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
    if (error.status >= 500) return t('errors.server');
    return problemText(error.problem);
  }
  return t('errors.server');
}

/** A refusal's parameter as the reader expects it: dates in their format, roles, statuses and policies by name. */
function showParam(key: string, v: ProblemParams[string]): string | number | boolean {
  const t = i18next.t.bind(i18next);
  const named = (k: string, fallback: string) => (i18next.exists(k) ? t(k) : fallback);
  if (Array.isArray(v)) return v.map((x) => (key === 'roles' ? named(`roles.${x}`, x) : x)).join(', ');
  if (typeof v !== 'string') return v as number | boolean;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v, i18next.language);
  if (key === 'status') return named(`status.${v}`, v);
  if (key === 'common' || key === 'kind') {
    // Policies as the server writes them: `mandate`, `alone (notify)`.
    const alone = /^alone \((\w+)\)$/.exec(v);
    return named(`policy.${alone ? `alone-${alone[1]}` : v}`, v);
  }
  return v;
}

/**
 * The one place a refusal becomes text: its code in the user's language with its parameters
 * (`problems.<code>`). The server's English `detail` is never shown. `fieldLabel` names the field at
 * fault; `beside` says the text stands beside that field (then "This" stands for it).
 */
export function problemText(p: Pick<Problem, 'code' | 'params' | 'status' | 'text'>, opts: { fieldLabel?: string; beside?: boolean } = {}): string {
  const t = i18next.t.bind(i18next);
  if (p.text) return p.text;
  if (p.code && i18next.exists(`problems.${p.code}`)) {
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.params ?? {})) params[k] = showParam(k, v);
    if (opts.fieldLabel) params.field = opts.fieldLabel;
    else if (opts.beside) params.field = t('errors.thisField');
    return t(`problems.${p.code}`, params);
  }
  // A code this UI does not know yet (a newer server): a general text by status.
  if (p.status === 0) return t('errors.network');
  if (p.status === 401) return t('errors.loggedOut');
  if (p.status === 403) return t('errors.forbidden');
  if (p.status === 404) return t('errors.notFound');
  if (p.status === 409) return t('problems.state.conflict');
  if (p.status >= 500) return t('errors.server');
  return t('problems.input.invalid', { field: opts.fieldLabel ?? t('errors.thisField') });
}

/**
 * Puts each refusal's text next to the field it names. Returns the error when no field of the
 * form matches (the caller shows it on top of the form), or null when every message found a field.
 * `labelFor` gives a form field's label for texts that name the field.
 */
export function applyProblem<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fieldFor: (apiField: string) => Path<T> | null, labelFor?: (field: Path<T>) => string | undefined): unknown {
  if (!(error instanceof ApiError) || error.status >= 500 || error.status === 0) return error;
  const p = error.problem;
  const items = p.errors?.length
    ? p.errors.map((e) => ({ field: e.field, problem: { code: e.code ?? p.code, params: e.params ?? (e.code ? {} : p.params), status: p.status, text: p.text } }))
    : p.field ? [{ field: p.field, problem: p }] : [];
  let placed = 0;
  for (const it of items) {
    const f = fieldFor(it.field);
    if (f) {
      const label = labelFor?.(f);
      setError(f, { type: 'server', message: problemText(it.problem, label ? { fieldLabel: label } : { beside: true }) }, { shouldFocus: placed === 0 });
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

/**
 * The confirmation after an action: Suomi.fi has no success status, so this is the house's own
 * success box (green edge, check mark). It takes focus when it appears, so a screen reader and a
 * keyboard user land on what just happened; `role="status"` announces it.
 */
export function SuccessNote({ title, children, testId, data, focus = true }: {
  title: string; children?: ReactNode; testId?: string;
  /** chrome: `data-*` attributes tests read (e.g. `{ 'data-status': 'submitted' }`). */
  data?: Record<`data-${string}`, string>;
  /** chrome: false when the page moves focus elsewhere itself (a heading above the note). */
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [title, focus]);
  return (
    <div className="success-note" role="status" tabIndex={-1} ref={ref} data-testid={testId} {...data}>
      {/* The check mark is drawn by the style sheet: the note's text is its title and body alone. */}
      <span className="success-note-mark" aria-hidden="true" />
      <div>
        <p className="success-note-title">{title}</p>
        {children && <div className="success-note-body">{children}</div>}
      </div>
    </div>
  );
}
