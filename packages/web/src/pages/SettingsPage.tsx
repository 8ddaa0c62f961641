import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Checkbox, Dropdown, DropdownItem, Heading, InlineAlert, Link, Paragraph, RadioButton, RadioButtonGroup, TextInput, Toast } from 'suomifi-ui-components';
import { api, client, unwrap, type BodyOf, type Lang } from '../api.js';
import { useNavigate } from 'react-router';
import { can, useSession } from '../session.js';
import { type Settings } from '../notifications.js';
import { applyProblem, ErrorAlert, fieldMapper, Loading, PageTitle } from '../components/ui.js';
import { GroupStatus } from '../components/fields.js';

const CHANNELS = ['suomifi', 'email', 'sms', 'paper'] as const;
type Channel = (typeof CHANNELS)[number];
/** Each language by its own name: a reader finds theirs whatever the page's language. */
const LANGUAGE_NAMES: Record<Lang, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

interface Values {
  preferredChannel: Channel;
  email: string;
  phone: string;
  language: Lang;
  notifyEveryUse: boolean;
}
type Field = keyof Values;
const FIELDS: Field[] = ['preferredChannel', 'email', 'phone', 'language', 'notifyEveryUse'];

const toValues = (s: Settings): Values => ({
  preferredChannel: s.preferredChannel, email: s.email ?? '', phone: s.phone ?? '', language: s.language, notifyEveryUse: s.notifyEveryUse,
});
const same = (a: Values, b: Values, f: Field) => (typeof a[f] === 'string' ? String(a[f]).trim() === String(b[f]).trim() : a[f] === b[f]);

/** How I want to be told: channel, address, language; each change reviewed before it is saved. */
export function SettingsPage() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [review, setReview] = useState<Values | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [saved, setSaved] = useState<Channel | null>(null);
  const [busy, setBusy] = useState(false);
  const savedRef = useRef<HTMLDivElement>(null);
  const reviewRef = useRef<HTMLHeadingElement>(null);
  const form = useForm<Values>({
    defaultValues: { preferredChannel: 'suomifi', email: '', phone: '', language: 'fi', notifyEveryUse: false },
  });
  const { control, handleSubmit, reset, setError: setFieldError } = form;

  useEffect(() => {
    unwrap(client.GET('/api/v1/me/settings')).then((s) => {
      setSettings(s);
      reset(toValues(s));
    }, setError);
  }, [reset]);

  const label = (f: Field) => t(`settings.${f === 'preferredChannel' ? 'channel' : f}`);
  // A refusal of the saved values: back on the form, the message at the field at fault, focus there.
  useEffect(() => {
    if (!refusal || review) return;
    setError(applyProblem(refusal, setFieldError, fieldMapper<Field>({ preferredChannel: 'preferredChannel', email: 'email', phone: 'phone', language: 'language', notifyEveryUse: 'notifyEveryUse' }), label));
    setRefusal(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refusal, review, setFieldError]);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  useEffect(() => {
    if (review) reviewRef.current?.focus();
  }, [review]);

  const onSave = handleSubmit((v) => {
    setError(null);
    setSaved(null);
    setReview(v);
  });

  const confirm = async () => {
    if (!review) return;
    setBusy(true);
    const body: BodyOf<'/api/v1/me/settings', 'put'> = {
      preferredChannel: review.preferredChannel,
      email: review.email.trim() || null,
      phone: review.phone.trim() || null,
      language: review.language,
      notifyEveryUse: review.notifyEveryUse,
    };
    try {
      const s = await unwrap(client.PUT('/api/v1/me/settings', { body }));
      setSettings(s);
      reset(toValues(s));
      setReview(null);
      setSaved(s.preferredChannel);
    } catch (e) {
      setReview(null);
      setRefusal(e);
    } finally {
      setBusy(false);
    }
  };

  const shown = (f: Field, v: Values) => {
    const x = v[f];
    if (f === 'preferredChannel') return t(`settings.channel_${x as Channel}`);
    if (f === 'language') return LANGUAGE_NAMES[x as Lang];
    if (typeof x === 'boolean') return x ? t('settings.yes') : t('settings.no');
    return String(x).trim() || t('settings.notGiven');
  };

  const title = t('settings.title');
  if (!settings) return (<><PageTitle title={title}>{title}</PageTitle>{error ? <ErrorAlert error={error} /> : <Loading />}</>);
  const editable = settings.permittedActions.includes('edit');
  const before = toValues(settings);
  const changes = review ? FIELDS.filter((f) => !same(before, review, f)) : [];

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('settings.intro')}</Paragraph>
      {settings.fromRegister && (
        <InlineAlert mb="m" data-testid="from-register">{t('settings.fromRegister')}</InlineAlert>
      )}
      <div aria-live="polite">
        {saved && (
          <Toast ref={savedRef} tabIndex={-1} headingText={t('settings.saved')} mb="m" data-testid="settings-saved">
            {t('settings.savedText', { channel: t(`settings.channel_${saved}`) })}
          </Toast>
        )}
      </div>
      <ErrorAlert error={error} />
      {!editable ? <Paragraph>{t('settings.readOnly')}</Paragraph> : review ? (
        <div className="confirm-box" data-testid="settings-review">
          <Heading variant="h2" mb="s" tabIndex={-1} ref={reviewRef}>{t('settings.reviewTitle')}</Heading>
          {changes.length === 0 ? <Paragraph mb="m">{t('settings.noChanges')}</Paragraph> : (
            <>
              <Paragraph mb="s">{t('settings.reviewIntro')}</Paragraph>
              <ul className="plain-list change-list" data-testid="settings-changes">
                {changes.map((f) => (
                  <li key={f} data-field={f}>
                    <strong>{label(f)}:</strong> {shown(f, before)} → {shown(f, review)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <Button mr="s" mt="m" disabled={busy} onClick={() => void confirm()} data-testid="settings-confirm">{t('settings.confirm')}</Button>
            <Button variant="secondary" mt="m" disabled={busy} onClick={() => setReview(null)} data-testid="settings-back">{t('settings.back')}</Button>
          </div>
        </div>
      ) : (
        <form noValidate onSubmit={onSave} data-testid="settings-form">
          <Controller control={control} name="preferredChannel" render={({ field, fieldState }) => (
            <RadioButtonGroup
              id="preferredChannel"
              labelText={label('preferredChannel')}
              name="preferredChannel"
              value={field.value}
              onChange={(v) => field.onChange(v)}
              groupStatus={fieldState.error ? 'error' : 'default'}
              mb={fieldState.error ? 'xs' : 'm'}
            >
              {CHANNELS.map((c) => (
                <RadioButton key={c} id={`channel-${c}`} value={c} hintText={t(`settings.channelHint_${c}`)}>{t(`settings.channel_${c}`)}</RadioButton>
              ))}
            </RadioButtonGroup>
          )} />
          <GroupStatus id="preferredChannel" error={form.formState.errors.preferredChannel?.message} />
          <Controller control={control} name="email" render={({ field, fieldState }) => (
            <TextInput
              id="email" ref={field.ref} type="email" autoComplete="email" labelText={label('email')} optionalText={t('common.optional')}
              value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur}
              status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m"
            />
          )} />
          <Controller control={control} name="phone" render={({ field, fieldState }) => (
            <TextInput
              id="phone" ref={field.ref} type="tel" autoComplete="tel" labelText={label('phone')} hintText={t('settings.phoneHint')} optionalText={t('common.optional')}
              value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur}
              status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m"
            />
          )} />
          <Controller control={control} name="language" render={({ field, fieldState }) => (
            <div className="field">
              <Dropdown id="language" labelText={label('language')} value={field.value} onChange={(v) => field.onChange(v)}
                status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message}>
                {(Object.keys(LANGUAGE_NAMES) as Lang[]).map((l) => <DropdownItem key={l} value={l}><span lang={l}>{LANGUAGE_NAMES[l]}</span></DropdownItem>)}
              </Dropdown>
            </div>
          )} />
          <Controller control={control} name="notifyEveryUse" render={({ field }) => (
            <Checkbox id="notifyEveryUse" checked={field.value} onClick={({ checkboxState }) => field.onChange(checkboxState)} hintText={t('settings.notifyEveryUseHint')} mb="m">
              {label('notifyEveryUse')}
            </Checkbox>
          )} />
          <Button type="submit" mt="s" data-testid="settings-save">{t('settings.save')}</Button>
        </form>
      )}
      <MyDataExport />
      <EndAllSessions />
    </>
  );
}

/** "Sign out everywhere": ends every session of mine, on every device (a lost phone, a shared computer). */
function EndAllSessions() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!can(me, 'session.end-all')) return null;
  return (
    <section aria-labelledby="sessions-heading" className="no-print">
      <Heading variant="h2" id="sessions-heading" mt="xl" mb="s">{t('sessions.heading')}</Heading>
      <Paragraph mb="m">{t('sessions.text')}</Paragraph>
      <ErrorAlert error={error} />
      {confirming ? (
        <div className="actions">
          <Button mr="s" mb="s" data-testid="end-all-confirm" onClick={async () => {
            try {
              await api('POST', '/api/v1/auth/logout-everywhere');
              await logout();
              navigate('/login', { replace: true });
            } catch (e) {
              setError(e);
            }
          }}>{t('sessions.confirm')}</Button>
          <Button variant="secondary" mb="s" onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
        </div>
      ) : (
        <Button variant="secondary" data-testid="end-all" onClick={() => setConfirming(true)}>{t('sessions.button')}</Button>
      )}
    </section>
  );
}

/** GDPR access (issue 11, item 9): download everything Puolesta holds about me, as a PDF to read or a JSON file. */
function MyDataExport() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  if (!can(me, 'personal-data.export')) return null;
  const lang = ['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'fi';
  return (
    <section aria-labelledby="data-export-heading" className="no-print" data-testid="data-export">
      <Heading variant="h2" id="data-export-heading" mt="xl" mb="s">{t('dataExport.heading')}</Heading>
      <Paragraph mb="m">{t('dataExport.text')}</Paragraph>
      <ul className="plain-list">
        <li><Link href={`/api/v1/me/data-export.pdf?lang=${encodeURIComponent(lang)}`} download data-testid="data-export-pdf">{t('dataExport.pdf')}</Link></li>
        <li><Link href="/api/v1/me/data-export" download data-testid="data-export-json">{t('dataExport.json')}</Link></li>
      </ul>
    </section>
  );
}
