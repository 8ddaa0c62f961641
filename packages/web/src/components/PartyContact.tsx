/**
 * Correcting a party's contact details for one errand (the edit page): names come from the register,
 * the e-mail and phone the party is reached at can be corrected for this errand only. The page saves
 * (PUT /api/v1/errands/{id} with `parties[].contact`); this form shows what the server refuses at the
 * field it concerns.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Paragraph, TextInput } from 'suomifi-ui-components';
import type { ErrandParty } from '../errands.js';
import { applyProblem, ErrorAlert } from './ui.js';

export interface ContactInput {
  email?: string;
  phone?: string;
}

type Values = { email: string; phone: string };

/** The API's field (`parties.0.contact.phone`) as this form's field. */
const fieldFor = (f: string): keyof Values | null =>
  /\.contact\.email$/.test(f) ? 'email' : /\.contact(\.phone)?$/.test(f) ? 'phone' : null;

/** The id of the button that opens the form for party `i` (focus returns there on cancel). */
export const correctButtonId = (i: number) => `contact-${i}-correct`;
export const contactFormId = (i: number) => `contact-${i}-form`;

/**
 * The small form: e-mail and phone, Save and Cancel. `onSave` resolves to null when saved, or to the
 * refusal; refusals that name a field are shown at it (focus there), others above the buttons.
 */
export function PartyContactForm({ party, index, busy, onSave, onCancel }: {
  party: ErrandParty;
  index: number;
  busy: boolean;
  onSave: (contact: ContactInput) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const { control, handleSubmit, setError: setFieldError } = useForm<Values>({
    defaultValues: { email: party.contact?.email ?? '', phone: party.contact?.phone ?? '' },
  });
  const idOf = (f: keyof Values) => `contact-${index}-${f}`;
  const titleId = `${contactFormId(index)}-title`;
  const label = (f: keyof Values) => t(`errands.contact.${f}`);

  useEffect(() => {
    document.getElementById(idOf('email'))?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = handleSubmit(async (v) => {
    setError(null);
    const email = v.email.trim();
    const phone = v.phone.trim();
    const refusal = await onSave({ ...(email ? { email } : {}), ...(phone ? { phone } : {}) });
    if (refusal) setError(applyProblem(refusal, setFieldError, fieldFor, label));
  });

  return (
    <form noValidate onSubmit={submit} id={contactFormId(index)} aria-labelledby={titleId} className="party-contact-form" data-testid={`contact-${index}-form`}>
      <p id={titleId} className="party-contact-title">{t('errands.contact.formTitle', { name: party.name })}</p>
      <Paragraph mb="s" className="errand-hint">{t('errands.contact.intro')}</Paragraph>
      <Controller control={control} name="email" render={({ field, fieldState }) => (
        <TextInput
          id={idOf('email')} ref={field.ref} type="email" autoComplete="off" labelText={label('email')} optionalText={t('common.optional')}
          value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur}
          status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="s" fullWidth
        />
      )} />
      <Controller control={control} name="phone" render={({ field, fieldState }) => (
        <TextInput
          id={idOf('phone')} ref={field.ref} type="tel" autoComplete="off" labelText={label('phone')} hintText={t('settings.phoneHint')} optionalText={t('common.optional')}
          value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur}
          status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="s" fullWidth
        />
      )} />
      <ErrorAlert error={error} />
      <div className="button-row">
        <Button type="submit" disabled={busy} data-testid={`contact-${index}-save`}>{t('errands.contact.save')}</Button>
        <Button variant="secondary" disabled={busy} onClick={onCancel} data-testid={`contact-${index}-cancel`}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
