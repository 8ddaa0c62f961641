import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { InlineAlert, RadioButton, RadioButtonGroup } from 'suomifi-ui-components';
import { IconBehalfOfAPerson, IconCalendarChecked, IconCheckCircle, IconGroupOfPeople, IconMailSend, IconPerson } from 'suomifi-ui-components';
import { allowedOverrides, POLICY_SCALE } from '@puolesta/domain/catalogue';
import { POLICY_CHOICES, policyChoice, type Policy, type PolicyChoice } from '../api.js';

/**
 * The choices a municipality may make for a service whose common requirement is `common`: that one
 * or stricter — the domain's rule, the one the server refuses by (`assertNotLooser`).
 */
export function allowedChoices(common: Policy): PolicyChoice[] {
  const c = policyChoice(common);
  const scaled = POLICY_SCALE.find((p) => policyChoice(p) === c);
  if (!scaled) return [...POLICY_CHOICES];
  return allowedOverrides(scaled).map(policyChoice);
}

const ICONS: Record<PolicyChoice, ComponentType<{ className?: string; 'aria-hidden'?: boolean }>> = {
  'no-need': IconCheckCircle,
  'alone-attest': IconPerson,
  'alone-notify': IconMailSend,
  'alone-confirm': IconCalendarChecked,
  mandate: IconBehalfOfAPerson,
  'multi-signature': IconGroupOfPeople,
};

/** The policy in a few words, with an icon that only repeats them (hidden from screen readers). */
export function PolicyBadge({ policy, testId = 'policy-badge' }: { policy: Policy; testId?: string }) {
  const { t } = useTranslation();
  const c = policyChoice(policy);
  const Icon = ICONS[c];
  return (
    <span className={`policy-badge policy-${policy.kind}`} data-testid={testId} data-policy={c}>
      <Icon className="policy-icon" aria-hidden />
      <span>{t(`policy.${c}`)}</span>
    </span>
  );
}

/** Choosing a policy on the scale from loosest to strictest. */
export function PolicyChoiceField({ name, label, hint, value, onChange, error, choices = POLICY_CHOICES }: {
  name: string; label: string; hint?: string; value: PolicyChoice; onChange(v: PolicyChoice): void; error?: string;
  /** The choices offered (default: all), in the scale's order. */
  choices?: readonly PolicyChoice[];
}) {
  const { t } = useTranslation();
  // The error is shown right under the choices as an alert of our own: the group's own status text
  // carries an ARIA attribute its element may not have (axe: aria-prohibited-attr).
  return (
    <>
    <RadioButtonGroup
      labelText={label}
      groupHintText={hint}
      name={name}
      value={value}
      onChange={(v) => onChange(v as PolicyChoice)}
      groupStatus={error ? 'error' : 'default'}
      mb={error ? 's' : 'm'}
    >
      {POLICY_CHOICES.filter((c) => choices.includes(c)).map((c) => (
        <RadioButton key={c} value={c} id={`${name}-${c}`}>
          {t(`policy.${c}`)}
        </RadioButton>
      ))}
    </RadioButtonGroup>
    {error && (
      <InlineAlert status="error" role="alert" mb="m" data-testid="policy-error">
        {error}
      </InlineAlert>
    )}
    </>
  );
}
