import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { api, ApiError, type MunicipalService, type ServiceClass } from '../api.js';
import { useNames } from '../session.js';
import { Empty, ErrorAlert, Loading, problemText, SuccessNote } from '../components/ui.js';

/** The municipality's services with their local details, stopping one, and adopting another (/admin/local-services). */
export function LocalServicesAdmin({ code }: { code: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const [services, setServices] = useState<MunicipalService[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [details, setDetails] = useState<string | null>(null);
  const [changed, setChanged] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setServices((await api<{ services: MunicipalService[] }>('GET', `/api/v1/municipalities/${code}/services`)).services);
    } catch (e) {
      setError(e);
    }
  }, [code]);
  useEffect(() => { void load(); }, [load]);
  const reload = async (note: string | null) => { await load(); setChanged(note); };

  if (error) return <ErrorAlert error={error} />;
  if (!services) return <Loading />;
  return (
    <>
      <section data-testid="local-services" aria-labelledby="local-services-title">
        <Heading variant="h2" mb="s" id="local-services-title">{t('adminPages.local-services')}</Heading>
        <Paragraph mb="m">{t('adminPages.local-services_about')}</Paragraph>
        {changed && <SuccessNote title={changed} testId="local-saved" />}
        <ul className="service-list">
          {services.map((s) => (
            <li key={s.code} className="service-card" data-testid="admin-service" data-code={s.code}>
              <Heading variant="h3" mb="xs">{s.name?.[names.lang] ?? s.title}</Heading>
              {details === s.code ? (
                <DetailsForm idPrefix={`details-${s.code}`} code={code} serviceCode={s.code} service={s}
                  onDone={async (ok) => { setDetails(null); if (ok) await reload(t('local.savedDetails', { name: s.title })); }} />
              ) : (
                <Button variant="secondary" onClick={() => { setChanged(null); setDetails(s.code); }} data-testid={`details-${s.code}`} aria-label={t('local.detailsFor', { name: s.title })}>
                  {t('local.details')}
                </Button>
              )}
              <StopOffering code={code} service={s} onDone={() => reload(t('local.stopped', { name: s.title }))} />
            </li>
          ))}
        </ul>
      </section>
      <AdoptService code={code} offered={services.map((s) => s.code)} onSaved={() => reload(t('local.adopted'))} />
    </>
  );
}

/** Adopting a common class the municipality does not offer yet, with its local details. */
export function AdoptService({ code, offered, onSaved }: { code: string; offered: string[]; onSaved(serviceCode: string): Promise<void> }) {
  const { t } = useTranslation();
  const names = useNames();
  const [classes, setClasses] = useState<ServiceClass[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ services: ServiceClass[] }>('GET', '/api/v1/catalogue/services').then((r) => setClasses(r.services), setError);
  }, []);
  const available = (classes ?? []).filter((c) => !offered.includes(c.code));
  return (
    <section data-testid="adopt" aria-labelledby="adopt-title">
      <Heading variant="h2" mb="s" mt="l" id="adopt-title">{t('local.adoptTitle')}</Heading>
      <Paragraph mb="m">{t('local.adoptIntro')}</Paragraph>
      <ErrorAlert error={error} />
      {!classes ? null : available.length === 0 ? <Empty>{t('local.allOffered')}</Empty> : (
        <div className="field">
          <Dropdown id="adopt-class" labelText={t('local.adoptClass')} visualPlaceholder={t('ptv.choose')} value={chosen} onChange={setChosen} mb="m">
            {available.map((c) => <DropdownItem key={c.code} value={c.code}>{c.name[names.lang]}</DropdownItem>)}
          </Dropdown>
        </div>
      )}
      {chosen && (
        <DetailsForm key={chosen} idPrefix="adopt" code={code} serviceCode={chosen} adopting
          onDone={async (saved) => { if (saved) { setChosen(''); await onSaved(saved); } else setChosen(''); }} />
      )}
    </section>
  );
}

/** Local name, one link and contact details of a municipal service; saving adopts the class when it is not offered yet. */
export function DetailsForm({ idPrefix, code, serviceCode, service, adopting = false, onDone }: {
  idPrefix: string; code: string; serviceCode: string; service?: MunicipalService; adopting?: boolean; onDone(saved: string | null): Promise<void> | void;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const link0 = (service?.links?.[0] ?? null) as { url?: string; title?: Record<string, string> } | null;
  const contact0 = (service?.contact ?? {}) as Record<string, string | undefined>;
  const [localName, setLocalName] = useState({ fi: '', sv: '', en: '' });
  const [url, setUrl] = useState(link0?.url ?? '');
  const [linkTitle, setLinkTitle] = useState(link0?.title?.[names.lang] ?? '');
  const [contact, setContact] = useState({ phone: contact0.phone ?? '', email: contact0.email ?? '', address: contact0.address ?? '', hours: contact0.hours ?? '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = (f: string) => `${idPrefix}-${f}`;

  const save = async () => {
    setBusy(true);
    setError(null);
    const named = localName.fi.trim() || localName.sv.trim() || localName.en.trim();
    const c = Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    const body = {
      ...(named ? { localName: { fi: localName.fi.trim(), sv: localName.sv.trim(), en: localName.en.trim() } } : {}),
      links: url.trim() ? [{ url: url.trim(), ...(linkTitle.trim() ? { title: { [names.lang]: linkTitle.trim() } } : {}) }] : [],
      contact: Object.keys(c).length ? c : null,
    };
    try {
      await api<MunicipalService>('PUT', `/api/v1/admin/municipalities/${code}/services/${serviceCode}`, body);
      await onDone(serviceCode);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const field = error instanceof ApiError ? error.problem.field : undefined;
  const errorFor = (f: string) => (field && (field === f || field.startsWith(`${f}.`)) ? problemText((error as ApiError).problem, { beside: true }) : undefined);
  const status = (f: string) => (errorFor(f) ? 'error' as const : 'default' as const);
  return (
    <form noValidate data-testid={`${idPrefix}-form`} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <ErrorAlert error={error} />
      <Heading variant="h4" mb="s">{t('local.localName')}</Heading>
      <Paragraph mb="s">{t('local.localNameHint')}</Paragraph>
      {(['fi', 'sv', 'en'] as const).map((l) => (
        <TextInput key={l} id={id(`name-${l}`)} labelText={t(`admin.name_${l}`)} optionalText={t('common.optional')} value={localName[l]}
          status={status(`localName.${l}`)} statusText={errorFor(`localName.${l}`)}
          onChange={(v) => setLocalName({ ...localName, [l]: String(v ?? '') })} mb="m" />
      ))}
      <TextInput id={id('link-url')} labelText={t('local.linkUrl')} hintText={t('local.linkUrlHint')} optionalText={t('common.optional')} value={url}
        status={status('links')} statusText={errorFor('links')} onChange={(v) => setUrl(String(v ?? ''))} mb="m" />
      <TextInput id={id('link-title')} labelText={t('local.linkTitle')} optionalText={t('common.optional')} value={linkTitle} onChange={(v) => setLinkTitle(String(v ?? ''))} mb="m" />
      <Heading variant="h4" mb="s">{t('local.contact')}</Heading>
      {(['phone', 'email', 'address', 'hours'] as const).map((k) => (
        <TextInput key={k} id={id(`contact-${k}`)} labelText={t(`local.${k}`)} optionalText={t('common.optional')} value={contact[k]}
          status={status(`contact.${k}`)} statusText={errorFor(`contact.${k}`)}
          onChange={(v) => setContact({ ...contact, [k]: String(v ?? '') })} mb="m" />
      ))}
      <Button type="submit" mr="s" disabled={busy} data-testid={`${idPrefix}-save`}>{adopting ? t('local.adopt') : t('admin.save')}</Button>
      <Button variant="secondary" onClick={() => void onDone(null)}>{t('common.cancel')}</Button>
    </form>
  );
}

/** Stopping a service, in two steps. */
export function StopOffering({ code, service, onDone }: { code: string; service: MunicipalService; onDone(): Promise<void> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stop = async () => {
    setError(null);
    try {
      await api('DELETE', `/api/v1/admin/municipalities/${code}/services/${service.code}`);
      await onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="stop-offering">
      <ErrorAlert error={error} />
      {asking ? (
        <>
          <Paragraph mb="s">{t('local.stopConfirmText', { name: service.title })}</Paragraph>
          <Button mr="s" onClick={() => void stop()} data-testid={`stop-confirm-${service.code}`}>{t('local.stopConfirm')}</Button>
          <Button variant="secondary" onClick={() => setAsking(false)}>{t('common.cancel')}</Button>
        </>
      ) : (
        <Button variant="secondaryNoBorder" onClick={() => setAsking(true)} data-testid={`stop-${service.code}`} aria-label={t('local.stopFor', { name: service.title })}>
          {t('local.stop')}
        </Button>
      )}
    </div>
  );
}
