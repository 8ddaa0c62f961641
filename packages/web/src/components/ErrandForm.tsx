/**
 * An errand form drawn from the service's JSON Schema (decision 0011): our own small renderer over
 * the Suomi.fi components. Labels, help and option titles come from the schema's `x-title`,
 * `x-help` and `x-enum-titles` in the reader's language. The server validates what is sent; this
 * only marks what is required now (`forms.ts`), shows the server's `form.*` problems at their fields
 * with a summary on top, and in `readOnly` mode lists what was filled in.
 */
import { createContext, Fragment, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import {
  Button, Checkbox, CheckboxGroup, Dropdown, DropdownItem, Heading, Link, Paragraph, RadioButton,
  RadioButtonGroup, StatusText, Textarea, TextInput,
} from 'suomifi-ui-components';
import { ApiError, type ProblemParams } from '../api.js';
import { dateAdapter, formatDate, inputToIso, isoToInput } from '../dates.js';
import { isLang } from '../i18n.js';
import {
  enumTitle, fieldAt, fieldId, fieldLabel, fieldStates, hasValue, shownAt, textIn, titleOf, withField,
  type FieldSchema, type FormLang, type FormSchema, type FormValue,
} from '../forms.js';
import { LocalDateInput } from './fields.js';
import { problemText } from './ui.js';

/** A message at a field: `field` is the dotted data path without `data.` ('' for the form as a whole). */
export interface ErrandFormError {
  field: string;
  message: string;
}

export interface ErrandFormProps {
  schema: FormSchema;
  value: FormValue;
  onChange(value: FormValue): void;
  errors: readonly ErrandFormError[];
  /** A list of what was filled in (for parties reviewing an errand, and before sending). */
  readOnly?: boolean;
  /** Starts every element id of the form (two forms on a page need two prefixes). */
  idPrefix: string;
  /**
   * Whether focus moves to the list of messages when it changes (default). A form that saves as one
   * types says false, so a message from saving does not take focus away from the field being typed
   * in, and moves focus itself (`focusErrorSummary`) when the person asks to go on.
   */
  focusErrors?: boolean;
}

/** A `form.*` problem of the API at a field (`field` without the `data.` prefix). */
export interface FormFieldProblem {
  field: string;
  code: string;
  params?: ProblemParams;
}

/** Radio buttons up to this many options, a drop-down list above. */
const MAX_RADIOS = 6;
/** Texts longer than this get a multi-line text area. */
const MAX_ONE_LINE = 200;
const NONE = '__none__';
const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Moves focus to a field (its own input, or the first one inside it). */
export function focusField(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const target = el.matches(FOCUSABLE) ? el : el.querySelector<HTMLElement>(FOCUSABLE);
  (target ?? el).focus();
}

/** Moves focus to the form's list of messages (e.g. when a check gives the same list again). */
export function focusErrorSummary(idPrefix: string): void {
  document.getElementById(`${fieldId(idPrefix, '')}-errors-title`)?.focus();
}

const useLang = (): FormLang => {
  const { i18n } = useTranslation();
  return isLang(i18n.language) ? i18n.language : 'fi';
};

// ---- problems → messages -------------------------------------------------------------------------

/**
 * The `form.*` problems of a refusal (problem+json `errors[]` at `data.<path>`), or null when the
 * refusal is not about the form's fields (the page says it on its own).
 */
export function formProblemsOf(error: unknown): FormFieldProblem[] | null {
  if (!(error instanceof ApiError)) return null;
  const p = error.problem;
  const items = p.errors?.length ? p.errors.map((e) => ({ field: e.field, code: e.code ?? p.code ?? '', params: e.params ?? {} }))
    : p.field && p.code ? [{ field: p.field, code: p.code, params: p.params ?? {} }] : [];
  const form = items.filter((e) => e.code.startsWith('form.') && (e.field === 'data' || e.field.startsWith('data.')));
  return form.length > 0 ? form.map((e) => ({ ...e, field: e.field === 'data' ? '' : e.field.slice('data.'.length) })) : null;
}

/**
 * One problem in the reader's language, naming the field by its title where it sits on the form
 * ("Suunnitellut työt 2: Kuvaus on pakollinen tieto."). Ranges and formats say the limit or an example.
 */
export function formProblemMessage(schema: FormSchema, problem: FormFieldProblem, lang: FormLang): string {
  const t = i18next.getFixedT(lang);
  const field = fieldLabel(schema, problem.field, lang);
  const params = problem.params ?? {};
  if (problem.code === 'form.range') {
    for (const key of ['min', 'max', 'step', 'minItems', 'maxItems'] as const) {
      if (params[key] !== undefined) return t(`errandForm.range.${key}`, { field, [key]: params[key] });
    }
  }
  if (problem.code === 'form.format' && (params.format === 'date' || params.format === 'email')) {
    return t(`errandForm.format.${params.format}`, { field });
  }
  // Every form.* code has its text (problems.*.ts); a code this UI does not know gets the general one.
  const text = i18next.exists(`problems.${problem.code}`)
    ? t(`problems.${problem.code}`, { ...params, field })
    : problemText({ code: problem.code, params, status: 400 }, { fieldLabel: field });
  const help = problem.code === 'form.pattern' ? textIn(fieldAt(schema, problem.field)?.['x-help'], lang) : '';
  return help ? `${text} ${help}` : text;
}

/** The messages of problems, for `ErrandForm`'s `errors`. */
export function errandFormErrors(schema: FormSchema, problems: readonly FormFieldProblem[], lang: FormLang): ErrandFormError[] {
  return problems.map((p) => ({ field: p.field, message: formProblemMessage(schema, p, lang) }));
}

// ---- the form --------------------------------------------------------------------------------------

interface Ctx {
  idPrefix: string;
  lang: FormLang;
  /** Messages by the path of the field that shows them. */
  messages: ReadonlyMap<string, string>;
  /** Paths with a message at them or inside them (such a field is shown even when not needed now). */
  withErrors: ReadonlySet<string>;
  focusLater(id: string): void;
}
const FormCtx = createContext<Ctx | null>(null);
const useCtx = (): Ctx => {
  const c = useContext(FormCtx);
  if (!c) throw new Error('ErrandForm fields outside ErrandForm');
  return c;
};

export function ErrandForm({ schema, value, onChange, errors, readOnly = false, idPrefix, focusErrors = true }: ErrandFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);

  const { messages, withErrors } = useMemo(() => {
    const byField = new Map<string, string[]>();
    const within = new Set<string>();
    for (const e of errors) {
      const at = shownAt(schema, e.field);
      byField.set(at, [...(byField.get(at) ?? []), e.message]);
      const parts = at === '' ? [] : at.split('.');
      for (let i = 1; i <= parts.length; i++) within.add(parts.slice(0, i).join('.'));
    }
    return { messages: new Map([...byField].map(([k, v]) => [k, v.join(' ')])), withErrors: within };
  }, [errors, schema]);

  useEffect(() => {
    if (!pendingFocus) return;
    focusField(pendingFocus);
    setPendingFocus(null);
  }, [pendingFocus, value]);

  const ctx: Ctx = { idPrefix, lang, messages, withErrors, focusLater: setPendingFocus };
  const help = textIn(schema['x-help'], lang);

  if (readOnly) {
    return (
      <div className="errand-form errand-form-readonly" id={fieldId(idPrefix, '')} data-testid="errand-form-readonly">
        <FormCtx.Provider value={ctx}>
          {hasValue(value) ? <ReadOnlyObject schema={schema} value={value} path="" /> : <Paragraph mb="m">{t('errandForm.nothingGiven')}</Paragraph>}
        </FormCtx.Provider>
      </div>
    );
  }
  return (
    <div className="errand-form" id={fieldId(idPrefix, '')} data-testid="errand-form">
      <FormCtx.Provider value={ctx}>
        <ErrorList schema={schema} errors={errors} focus={focusErrors} />
        {help && <Paragraph mb="s">{help}</Paragraph>}
        <Paragraph mb="m" className="muted">{t('errandForm.optionalNote')}</Paragraph>
        <ObjectFields schema={schema} value={value} path="" onChange={(v) => onChange(v ?? {})} />
      </FormCtx.Provider>
    </div>
  );
}

/** The messages on top, each a link to its field; focus moves here when messages appear or change. */
function ErrorList({ schema, errors, focus }: { schema: FormSchema; errors: readonly ErrandFormError[]; focus: boolean }) {
  const { t } = useTranslation();
  const { idPrefix } = useCtx();
  const heading = useRef<HTMLHeadingElement>(null);
  const key = errors.map((e) => `${e.field}\u0000${e.message}`).join('\u0001');
  useEffect(() => {
    if (key && focus) heading.current?.focus();
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (errors.length === 0) return null;
  const titleId = `${fieldId(idPrefix, '')}-errors-title`; // see focusErrorSummary
  return (
    <section className="errand-error-summary" aria-labelledby={titleId} data-testid="errand-errors">
      <Heading variant="h2" id={titleId} tabIndex={-1} ref={heading} mb="xs">
        {t('errandForm.errorsTitle')}
      </Heading>
      <ul>
        {errors.map((e, i) => {
          const at = shownAt(schema, e.field);
          const id = fieldId(idPrefix, at);
          return (
            <li key={`${i}-${e.field}`}>
              {at === '' ? (
                e.message
              ) : (
                <Link
                  href={`#${id}`}
                  onClick={(ev) => {
                    ev.preventDefault();
                    focusField(id);
                  }}
                >
                  {e.message}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface FieldProps {
  field: FieldSchema;
  path: string;
  value: unknown;
  onChange(v: unknown): void;
  required: boolean;
}

/** The fields of an object, those shown now, each marked required or optional as the value stands. */
function ObjectFields({ schema, value, path, onChange }: { schema: FieldSchema; value: unknown; path: string; onChange(v: FormValue | undefined): void }) {
  const { withErrors } = useCtx();
  const states = fieldStates(schema, value);
  const obj = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as FormValue;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => {
        const at = path ? `${path}.${name}` : name;
        const state = states[name]!;
        if (!state.visible && !withErrors.has(at)) return null;
        return (
          <Field key={name} field={field} path={at} value={obj[name]} required={state.required} onChange={(v) => onChange(withField(obj, name, v))} />
        );
      })}
    </>
  );
}

function Field(props: FieldProps) {
  const { field } = props;
  if (field.type === 'object') return <GroupField {...props} />;
  if (field.type === 'array') {
    if (field.items?.enum) return <ChoiceListField {...props} />;
    return <ListField {...props} />;
  }
  if (field.type === 'boolean') return props.required ? <YesNoField {...props} /> : <CheckboxField {...props} />;
  if (field.enum) return <ChoiceField {...props} />;
  if (field.type === 'string' && field.format === 'date') return <DateField {...props} />;
  if (field.type === 'integer' || field.type === 'number') return <NumberField {...props} />;
  return <TextField {...props} />;
}

/** What every field shares: its wrapper (the target of the summary's links), label, help, marker and message. */
function useFieldBasics({ field, path, required }: Pick<FieldProps, 'field' | 'path' | 'required'>) {
  const { t } = useTranslation();
  const { idPrefix, lang, messages } = useCtx();
  const id = fieldId(idPrefix, path);
  const error = messages.get(path);
  return {
    id,
    inputId: `${id}-input`,
    label: titleOf(field, lang, path),
    hint: textIn(field['x-help'], lang) || undefined,
    optionalText: required ? undefined : t('common.optional'),
    error,
    status: error ? ('error' as const) : ('default' as const),
    lang,
  };
}

function Wrapper({ id, path, required, kind, children }: { id: string; path: string; required: boolean; kind: string; children: ReactNode }) {
  return (
    <div className={`errand-field errand-${kind}`} id={id} data-path={path} data-required={required ? 'true' : 'false'}>
      {children}
    </div>
  );
}

/**
 * A text input that keeps what the person typed while it is not yet a value of the field's type
 * (a half-typed date or number), and takes over a value set from outside (an example filled in).
 */
function useDraft(value: unknown, show: (v: unknown) => string, read: (s: string) => unknown) {
  const [draft, setDraft] = useState(() => show(value));
  useEffect(() => {
    if (read(draft) !== value) setDraft(show(value));
    // Only a change from outside resets the draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return [draft, setDraft] as const;
}

function TextField(props: FieldProps) {
  const { field, path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
  const common = {
    id: b.inputId,
    labelText: b.label,
    hintText: b.hint,
    optionalText: b.optionalText,
    status: b.status,
    statusText: b.error,
    maxLength: field.maxLength,
    fullWidth: true,
    'aria-required': required || undefined,
  };
  return (
    <Wrapper id={b.id} path={path} required={required} kind="text">
      {(field.maxLength ?? 0) > MAX_ONE_LINE ? (
        <Textarea {...common} value={text} onChange={(e) => onChange(e.target.value)} resize="vertical" rows={4} />
      ) : (
        <TextInput {...common} type={field.format === 'email' ? 'email' : 'text'} value={text} onChange={(v) => onChange(v === undefined ? undefined : String(v))} />
      )}
    </Wrapper>
  );
}

function NumberField(props: FieldProps) {
  const { field, path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  const comma = b.lang !== 'en';
  const show = (v: unknown) => (typeof v === 'number' ? (comma ? String(v).replace('.', ',') : String(v)) : typeof v === 'string' ? v : '');
  const read = (s: string): unknown => {
    const tight = s.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
    if (tight === '') return undefined;
    // Not a number: sent as typed, the server says it is not one (form.type).
    return /^[+-]?\d+(\.\d+)?$/.test(tight) ? Number(tight) : s.trim();
  };
  const [draft, setDraft] = useDraft(value, show, read);
  return (
    <Wrapper id={b.id} path={path} required={required} kind="number">
      <TextInput
        id={b.inputId}
        labelText={b.label}
        hintText={b.hint}
        optionalText={b.optionalText}
        status={b.status}
        statusText={b.error}
        inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
        aria-required={required || undefined}
        value={draft}
        onChange={(v) => {
          const s = v === undefined ? '' : String(v);
          setDraft(s);
          onChange(read(s));
        }}
      />
    </Wrapper>
  );
}

function DateField(props: FieldProps) {
  const { t } = useTranslation();
  const { path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  const show = (v: unknown) => (typeof v === 'string' ? isoToInput(v) || v : '');
  const read = (s: string): unknown => (s.trim() === '' ? undefined : inputToIso(s) ?? s.trim());
  const [draft, setDraft] = useDraft(value, show, read);
  return (
    <Wrapper id={b.id} path={path} required={required} kind="date">
      <LocalDateInput
        id={b.inputId}
        labelText={b.label}
        hintText={b.hint ? `${b.hint} ${t('dates.hint')}` : t('dates.hint')}
        optionalText={b.optionalText}
        status={b.status}
        statusText={b.error}
        aria-required={required || undefined}
        value={draft}
        onChange={({ value: v }) => {
          setDraft(v);
          onChange(read(v));
        }}
        datePickerEnabled
        dateAdapter={dateAdapter}
        language={b.lang}
        autoComplete="off"
      />
    </Wrapper>
  );
}

/**
 * The message of a group of radio buttons or check boxes, below it and named by each option's
 * `aria-describedby`. (The groups' own `groupStatusText` puts `aria-labelledby` on a span, which axe
 * rightly refuses.)
 */
function GroupStatus({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return <StatusText id={`${id}-status`} status="error" mt="xs">{error}</StatusText>;
}
const statusId = (id: string, error?: string) => (error ? `${id}-status` : undefined);

/** A required yes-or-no question: two radio buttons (an unticked box would read as "no"). */
function YesNoField(props: FieldProps) {
  const { t } = useTranslation();
  const { path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  return (
    <Wrapper id={b.id} path={path} required={required} kind="yes-no">
      <RadioButtonGroup
        id={`${b.id}-group`}
        name={`${b.id}-group`}
        labelText={b.label}
        groupHintText={b.hint}
        optionalText={b.optionalText}
        groupStatus={b.status}
        value={value === true ? 'true' : value === false ? 'false' : ''}
        onChange={(v) => onChange(v === 'true')}
      >
        <RadioButton id={`${b.id}-yes`} value="true" aria-describedby={statusId(b.id, b.error)}>{t('errandForm.yes')}</RadioButton>
        <RadioButton id={`${b.id}-no`} value="false" aria-describedby={statusId(b.id, b.error)}>{t('errandForm.no')}</RadioButton>
      </RadioButtonGroup>
      <GroupStatus id={b.id} error={b.error} />
    </Wrapper>
  );
}

function CheckboxField(props: FieldProps) {
  const { path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  return (
    <Wrapper id={b.id} path={path} required={required} kind="checkbox">
      <Checkbox
        id={b.inputId}
        checked={value === true}
        hintText={b.hint}
        status={b.status}
        statusText={b.error}
        onClick={({ checkboxState }) => onChange(checkboxState)}
      >
        {b.label}
      </Checkbox>
    </Wrapper>
  );
}

/** One of the options: radio buttons for a few, a drop-down list for many; "no choice" when optional. */
function ChoiceField(props: FieldProps) {
  const { t } = useTranslation();
  const { field, path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  const options = field.enum ?? [];
  const pick = (s: string) => onChange(s === NONE ? undefined : options.find((o) => String(o) === s));
  const current = value === undefined ? (required ? '' : NONE) : String(value);
  const items = [
    ...(required ? [] : [{ value: NONE, title: t('errandForm.noChoice') }]),
    ...options.map((o) => ({ value: String(o), title: enumTitle(field, o, b.lang) })),
  ];
  if (options.length <= MAX_RADIOS) {
    return (
      <Wrapper id={b.id} path={path} required={required} kind="radios">
        <RadioButtonGroup
          id={`${b.id}-group`}
          name={`${b.id}-group`}
          labelText={b.label}
          groupHintText={b.hint}
          optionalText={b.optionalText}
          groupStatus={b.status}
          value={current}
          onChange={pick}
        >
          {items.map((o, i) => (
            <RadioButton key={o.value} id={`${b.id}-opt-${i}`} value={o.value} aria-describedby={statusId(b.id, b.error)}>{o.title}</RadioButton>
          ))}
        </RadioButtonGroup>
        <GroupStatus id={b.id} error={b.error} />
      </Wrapper>
    );
  }
  return (
    <Wrapper id={b.id} path={path} required={required} kind="dropdown">
      <Dropdown
        id={b.inputId}
        labelText={b.label}
        hintText={b.hint}
        optionalText={b.optionalText}
        status={b.status}
        statusText={b.error}
        visualPlaceholder={t('errandForm.choose')}
        value={current === '' ? null : current}
        onChange={pick}
        fullWidth
      >
        {items.map((o) => <DropdownItem key={o.value} value={o.value}>{o.title}</DropdownItem>)}
      </Dropdown>
    </Wrapper>
  );
}

/** Several of the options (an array of enum values): check boxes, kept in the options' order. */
function ChoiceListField(props: FieldProps) {
  const { field, path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  const items = field.items!;
  const options = items.enum ?? [];
  const chosen = Array.isArray(value) ? value : [];
  return (
    <Wrapper id={b.id} path={path} required={required} kind="choices">
      <CheckboxGroup
        id={`${b.id}-group`}
        labelText={b.label}
        groupHintText={b.hint}
        optionalText={b.optionalText}
        groupStatus={b.status}
      >
        {options.map((o, i) => (
          <Checkbox
            key={String(o)}
            id={`${b.id}-opt-${i}`}
            aria-describedby={statusId(b.id, b.error)}
            checked={chosen.includes(o)}
            onClick={({ checkboxState }) => {
              const next = options.filter((x) => (x === o ? checkboxState : chosen.includes(x)));
              onChange(next);
            }}
          >
            {enumTitle(items, o, b.lang)}
          </Checkbox>
        ))}
      </CheckboxGroup>
      <GroupStatus id={b.id} error={b.error} />
    </Wrapper>
  );
}

/** A legend with the optional marker, the help and the message of a group of fields. */
function GroupHeader({ id, label, hint, optionalText, error }: { id: string; label: string; hint?: string; optionalText?: string; error?: string }) {
  return (
    <>
      <legend className="errand-legend">
        {label}
        {optionalText && <span className="errand-optional"> ({optionalText})</span>}
      </legend>
      {hint && <Paragraph id={`${id}-hint`} mb="s" className="errand-hint">{hint}</Paragraph>}
      {error && <StatusText id={`${id}-status`} status="error" mb="s">{error}</StatusText>}
    </>
  );
}

const describedBy = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-status` : ''].filter(Boolean).join(' ') || undefined;

/** A group of fields (a nested object): a fieldset whose fields are required as the group's value stands. */
function GroupField(props: FieldProps) {
  const { field, path, value, onChange, required } = props;
  const b = useFieldBasics(props);
  return (
    <Wrapper id={b.id} path={path} required={required} kind="group">
      <fieldset className="errand-group" aria-describedby={describedBy(b.id, b.hint, b.error)}>
        <GroupHeader id={b.id} label={b.label} hint={b.hint} optionalText={b.optionalText} error={b.error} />
        <ObjectFields schema={field} value={value} path={path} onChange={(v) => onChange(v)} />
      </fieldset>
    </Wrapper>
  );
}

/** A list of texts or of groups, with "add" and "remove" within the list's bounds. */
function ListField(props: FieldProps) {
  const { t } = useTranslation();
  const { field, path, value, onChange, required } = props;
  const { idPrefix, lang, focusLater } = useCtx();
  const b = useFieldBasics(props);
  const items = field.items ?? {};
  const list = Array.isArray(value) ? value : [];
  const itemTitle = titleOf(items, lang, b.label);
  const max = field.maxItems ?? Infinity;
  const set = (i: number, v: unknown) => onChange(list.map((x, j) => (j === i ? v : x)));
  const addId = `${b.id}-add`;
  return (
    <Wrapper id={b.id} path={path} required={required} kind="list">
      <fieldset className="errand-group" aria-describedby={describedBy(b.id, b.hint, b.error)}>
        <GroupHeader id={b.id} label={b.label} hint={b.hint} optionalText={b.optionalText} error={b.error} />
        {list.map((item, i) => {
          const at = `${path}.${i}`;
          const name = `${itemTitle} ${i + 1}`;
          const remove = (
            <Button
              variant="secondaryNoBorder"
              className="errand-remove"
              onClick={() => {
                onChange(list.filter((_, j) => j !== i));
                focusLater(addId);
              }}
            >
              {t('errandForm.remove')}<span className="visually-hidden"> {name}</span>
            </Button>
          );
          if (items.type === 'object') {
            return (
              <fieldset key={i} className="errand-item" id={fieldId(idPrefix, at)} data-path={at}>
                <legend className="errand-item-legend">{name}</legend>
                <ObjectFields schema={items} value={item} path={at} onChange={(v) => set(i, v ?? {})} />
                {remove}
              </fieldset>
            );
          }
          return (
            <div key={i} className="errand-list-row">
              <ListItemInput field={items} path={at} label={name} value={item} onChange={(v) => set(i, v)} />
              {remove}
            </div>
          );
        })}
        {list.length < max && (
          <Button
            id={addId}
            variant="secondary"
            className="errand-add"
            onClick={() => {
              onChange([...list, items.type === 'object' ? {} : '']);
              focusLater(fieldId(idPrefix, `${path}.${list.length}`));
            }}
          >
            {t('errandForm.add', { item: itemTitle.toLocaleLowerCase(lang) })}
          </Button>
        )}
      </fieldset>
    </Wrapper>
  );
}

/** One text of a list of texts (each item must be filled when the item schema says so). */
function ListItemInput({ field, path, label, value, onChange }: { field: FieldSchema; path: string; label: string; value: unknown; onChange(v: unknown): void }) {
  const { idPrefix, messages } = useCtx();
  const id = fieldId(idPrefix, path);
  const error = messages.get(path);
  return (
    <div className="errand-field errand-list-item" id={id} data-path={path}>
      <TextInput
        id={`${id}-input`}
        labelText={label}
        status={error ? 'error' : 'default'}
        statusText={error}
        maxLength={field.maxLength}
        aria-required={(field.minLength ?? 0) > 0 || undefined}
        value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
        onChange={(v) => onChange(v === undefined ? '' : String(v))}
      />
    </div>
  );
}

// ---- read-only ---------------------------------------------------------------------------------------

function ReadOnlyObject({ schema, value, path }: { schema: FieldSchema; value: unknown; path: string }) {
  const { lang } = useCtx();
  const obj = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as FormValue;
  const given = Object.entries(schema.properties ?? {}).filter(([name]) => hasValue(obj[name]));
  return (
    <dl className="facts errand-facts">
      {given.map(([name, field]) => {
        const at = path ? `${path}.${name}` : name;
        return (
          <Fragment key={name}>
            <dt>{titleOf(field, lang, name)}</dt>
            <dd data-path={at}>
              <ReadOnlyValue field={field} value={obj[name]} path={at} />
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

function formatNumber(n: number, lang: FormLang): string {
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang];
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 10 }).format(n);
}

function ReadOnlyValue({ field, value, path }: { field: FieldSchema; value: unknown; path: string }) {
  const { t } = useTranslation();
  const { lang } = useCtx();
  if (field.type === 'object') return <ReadOnlyObject schema={field} value={value} path={path} />;
  if (Array.isArray(value)) {
    const items = field.items ?? {};
    if (items.enum) return <>{value.map((v) => enumTitle(items, v, lang)).join(', ')}</>;
    const itemTitle = titleOf(items, lang, '');
    return (
      <ol className={items.type === 'object' ? 'errand-groups' : 'errand-items'}>
        {value.map((item, i) => (
          <li key={i}>
            {items.type === 'object' ? (
              <>
                <span className="errand-item-title">{itemTitle} {i + 1}</span>
                <ReadOnlyObject schema={items} value={item} path={`${path}.${i}`} />
              </>
            ) : (
              <ReadOnlyValue field={items} value={item} path={`${path}.${i}`} />
            )}
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'boolean') return <>{value ? t('errandForm.yes') : t('errandForm.no')}</>;
  if (field.enum) return <>{enumTitle(field, value, lang)}</>;
  if (typeof value === 'number') return <>{formatNumber(value, lang)}</>;
  if (typeof value === 'string' && field.format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return <>{formatDate(value, lang)}</>;
  if (typeof value === 'string') return <span className="errand-text">{value}</span>;
  return <>{JSON.stringify(value)}</>;
}
