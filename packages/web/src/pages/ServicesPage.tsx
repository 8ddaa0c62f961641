import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dropdown, DropdownItem, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import { api, type MunicipalService } from '../api.js';
import { can, useNames, useSession } from '../session.js';
import { AppLink, Empty, ErrorAlert, Loading, PageTitle } from '../components/ui.js';
import { PolicyBadge } from '../components/policy.js';
import { startLink } from '../errands.js';

/** Where the request form opens, prefilled with the service's issues and municipality. */
export const requestLink = (s: MunicipalService, municipality: string) =>
  `/request?${new URLSearchParams({ issues: s.issues.join(','), municipality }).toString()}`;

/** A municipality's services: what acting for someone requires in each, and a way to ask for that mandate. */
export function ServicesPage() {
  const { t } = useTranslation();
  const { me, catalogue } = useSession();
  const names = useNames();
  const own = me?.municipality ?? null;
  const [municipality, setMunicipality] = useState<string>(own ?? catalogue.municipalities[0]?.code ?? '');
  const [services, setServices] = useState<MunicipalService[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    if (!municipality) return;
    let live = true;
    setServices(null);
    setError(null);
    api<{ services: MunicipalService[] }>('GET', `/api/v1/municipalities/${municipality}/services`).then(
      (r) => live && setServices(r.services),
      (e) => live && setError(e),
    );
    return () => { live = false; };
  }, [municipality]);

  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase(names.lang);
    return (services ?? []).filter((s) => !q || s.name[names.lang].toLocaleLowerCase(names.lang).includes(q));
  }, [services, query, names.lang]);

  const canRequest = me === null || can(me, 'mandate.request');
  const canStart = can(me, 'errand.create');
  return (
    <>
      <PageTitle title={t('services.title')}>{t('services.title')}</PageTitle>
      <Paragraph mb="m">{t('services.intro')}</Paragraph>
      <div className="filters">
        <div className="field">
          <Dropdown id="services-municipality" labelText={t('services.municipality')} value={municipality} onChange={(v) => setMunicipality(v)} mb="m">
            {catalogue.municipalities.map((m) => <DropdownItem key={m.code} value={m.code}>{m.name[names.lang]}</DropdownItem>)}
          </Dropdown>
        </div>
        <TextInput id="services-search" labelText={t('services.search')} hintText={t('services.searchHint')} value={query} onChange={(v) => setQuery(String(v ?? ''))} mb="m" />
      </div>
      <ErrorAlert error={error} />
      {!services && !error ? (
        <Loading />
      ) : (
        <>
          <Paragraph mb="m" aria-live="polite" data-testid="services-count">
            {t('services.count', { count: shown.length, municipality: names.municipality(municipality) })}
          </Paragraph>
          {shown.length === 0 && services && <Empty>{t('services.none')}</Empty>}
          <ul className="service-list">
            {shown.map((s) => (
              <li key={s.code} className="service-card" data-testid="service" data-code={s.code}>
                <Heading variant="h2" className="service-name" mb="xs">{s.name[names.lang]}</Heading>
                <div className="service-badge"><PolicyBadge policy={s.policy} /></div>
                <Paragraph mb="xs" data-testid="guidance">{s.guidance[names.lang]}</Paragraph>
                {s.issues.length > 0 && (
                  <Paragraph mb="xs">
                    <Text variant="bold">{t('services.issues')}:</Text>{' '}
                    <span data-testid="service-issues">{s.issues.map((i) => names.issue(i)).join(', ')}</span>
                  </Paragraph>
                )}
                <div className="service-links">
                  {canStart && (
                    <AppLink to={startLink(municipality, s.code)} testId={`start-${s.code}`}>
                      {t('services.startLink')}<span className="visually-hidden">: {s.name[names.lang]}</span>
                    </AppLink>
                  )}
                  {canRequest && s.policy.kind !== 'no-need' && s.issues.length > 0 && (
                    <AppLink to={requestLink(s, municipality)} testId={`request-${s.code}`}>
                      {t('services.requestLink')}<span className="visually-hidden">: {s.name[names.lang]}</span>
                    </AppLink>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
