import { forwardRef, useEffect, useState, type ForwardedRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox, CheckboxGroup, DateInput, RadioButton, RadioButtonGroup, StatusText, TextInput, type DateInputProps } from 'suomifi-ui-components';
import { dateAdapter } from '../dates.js';
import { useNames, useSession } from '../session.js';

/** Controlled field props, as react-hook-form's Controller hands them over. */
interface FieldProps<V> {
  value: V;
  onChange(v: V): void;
  onBlur?(): void;
  error?: string | undefined;
}

/** Person or organisation, then the identity code or business id. */
export function PartyTypeField({ name, label, value, onChange }: FieldProps<string> & { name: string; label: string }) {
  const { t } = useTranslation();
  return (
    <RadioButtonGroup labelText={label} name={name} value={value} onChange={(v) => onChange(v)} mb="m">
      <RadioButton value="person">{t('party.person')}</RadioButton>
      <RadioButton value="organization">{t('party.organization')}</RadioButton>
    </RadioButtonGroup>
  );
}

export function PartyIdField({ id, label, partyType, value, onChange, onBlur, error, hint }: FieldProps<string> & { id: string; label: string; partyType: string; hint?: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      id={id}
      labelText={label}
      hintText={hint ?? (partyType === 'organization' ? t('party.businessIdHint') : t('party.identityCodeHint'))}
      value={value}
      onChange={(v) => onChange(String(v ?? ''))}
      onBlur={() => onBlur?.()}
      status={error ? 'error' : 'default'}
      statusText={error}
      autoComplete="off"
      mb="m"
    />
  );
}

/**
 * The message of a group of radio buttons or check boxes, below the group (announced politely).
 * Not the groups' own `groupStatusText`: that puts `aria-labelledby` on a plain span, which axe
 * refuses as a serious finding (it was the grant form's error state's).
 */
export function GroupStatus({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return <StatusText id={`${id}-status`} status="error" mt="xs" mb="m" data-testid={`${id}-status`}>{error}</StatusText>;
}

export interface IssueChoice {
  /** A bundle's code, or '' for issues picked one by one. */
  bundle: string;
  issues: string[];
}

/** A ready set of matters (bundle), or matters one by one. */
export function IssuePicker({ idPrefix, value, onChange, error, allowBundles = true, only, hint }: FieldProps<IssueChoice> & { idPrefix: string; allowBundles?: boolean; only?: readonly string[]; hint?: string | undefined }) {
  const { t } = useTranslation();
  const { catalogue } = useSession();
  const names = useNames();
  const issues = only ? catalogue.issues.filter((i) => only.includes(i.code)) : catalogue.issues;
  // A ready set only when every matter in it may be chosen here.
  const bundles = only ? catalogue.bundles.filter((b) => b.issues.every((i) => only.includes(i))) : catalogue.bundles;
  const custom = value.bundle === '';
  return (
    <div id={`${idPrefix}-issues`} tabIndex={-1} data-field-error={error ? 'true' : undefined}>
      {allowBundles && bundles.length > 0 && (
        <RadioButtonGroup
          labelText={t('issues.chooseHow')}
          groupHintText={hint ? `${t('issues.chooseHowHint')} ${hint}` : t('issues.chooseHowHint')}
          name={`${idPrefix}-bundle`}
          value={value.bundle || 'custom'}
          onChange={(v) => onChange({ bundle: v === 'custom' ? '' : v, issues: v === 'custom' ? value.issues : [] })}
          groupStatus={error && !custom ? 'error' : 'default'}
          mb={error && !custom ? 'xs' : 'm'}
        >
          {[
            ...bundles.map((b) => (
              <RadioButton key={b.code} value={b.code} hintText={b.issues.map((i) => names.issue(i)).join(', ')}>
                {b.name[names.lang]}
              </RadioButton>
            )),
            <RadioButton key="custom" value="custom">
              {t('issues.oneByOne')}
            </RadioButton>,
          ]}
        </RadioButtonGroup>
      )}
      {allowBundles && bundles.length > 0 && !custom && <GroupStatus id={`${idPrefix}-bundle`} error={error} />}
      {custom && (
        <CheckboxGroup
          labelText={t('issues.matters')}
          groupHintText={hint && !(allowBundles && bundles.length > 0) ? `${t('issues.mattersHint')} ${hint}` : t('issues.mattersHint')}
          groupStatus={error ? 'error' : 'default'}
          mb={error ? 'xs' : 'm'}
        >
          {issues.map((i) => (
            <Checkbox
              key={i.code}
              id={`${idPrefix}-issue-${i.code}`}
              checked={value.issues.includes(i.code)}
              onClick={({ checkboxState }) =>
                onChange({ bundle: '', issues: checkboxState ? [...value.issues, i.code] : value.issues.filter((x) => x !== i.code) })
              }
            >
              {i.name[names.lang]}
            </Checkbox>
          ))}
        </CheckboxGroup>
      )}
      {custom && <GroupStatus id={`${idPrefix}-issues`} error={error} />}
    </div>
  );
}

type Lang = NonNullable<DateInputProps['language']>;

/**
 * suomifi's DateInput in the page's language. Its calendar button names the chosen date ("Välj datum,
 * Valt datum 1 onsdag december 2027"), but works that name out only when the value changes, and on its
 * first render its texts are still Finnish: a date there from the start (a request's end date, a saved
 * draft) was named in Finnish on a Swedish or English page. So the value is handed over after the
 * first render, when the texts are in the page's language; a change of language starts it afresh.
 */
export const LocalDateInput = forwardRef<HTMLInputElement, DateInputProps & { language: Lang }>(function LocalDateInput(props, ref) {
  return <DeferredDateInput key={props.language} {...props} forwardedRef={ref} />;
});

function DeferredDateInput({ forwardedRef, value, ...props }: DateInputProps & { forwardedRef: ForwardedRef<HTMLInputElement> }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <DateInput {...props} ref={forwardedRef} value={mounted ? value : ''} />;
}

export function DateField({ id, label, hint, optional, value, onChange, onBlur, error }: FieldProps<string> & { id: string; label: string; hint?: string; optional?: boolean }) {
  const { t } = useTranslation();
  const { lang } = useNames();
  return (
    <LocalDateInput
      id={id}
      labelText={label}
      hintText={hint ?? t('dates.hint')}
      optionalText={optional ? t('common.optional') : undefined}
      value={value}
      onChange={({ value: v }) => onChange(v)}
      onBlur={() => onBlur?.()}
      status={error ? 'error' : 'default'}
      statusText={error}
      datePickerEnabled
      dateAdapter={dateAdapter}
      language={lang}
      autoComplete="off"
      mb="m"
    />
  );
}
