import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Button, Heading, Notification, Paragraph } from 'suomifi-ui-components';
import { api, ApiError, type Personas } from '../api.js';
import { homeOf, useNames, useSession } from '../session.js';
import { AppLink, ErrorAlert, Loading, PageTitle, problemText } from '../components/ui.js';
import { useDemoOutbox } from '../notifications.js';

export function LoginPage() {
  const { t } = useTranslation();
  const { config, me, refresh } = useSession();
  const names = useNames();
  const navigate = useNavigate();
  const location = useLocation();
  const [personas, setPersonas] = useState<Personas | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const demoOutbox = useDemoOutbox();
  // The identity provider's login did not complete: the server sent the browser back here with a problem code.
  const loginError = new URLSearchParams(location.search).get('loginError');

  useEffect(() => {
    if (config?.demoLogin) api<Personas>('GET', '/auth/demo-personas').then(setPersonas, setError);
  }, [config?.demoLogin]);

  // Logged in (also the moment the login below refreshes the session): back where the login was asked for, else home.
  const from = (location.state as { from?: string } | null)?.from;
  if (me) return <Navigate to={from && from !== '/login' ? from : homeOf(me)} replace />;

  const login = async (body: { person: string } | { staff: string }, key: string) => {
    setBusy(key);
    setError(null);
    try {
      await api('POST', '/auth/demo-login', body);
      const now = await refresh();
      // Back where the login was asked for (the page itself sends a session that may not be there to its home);
      // the same place the redirect above goes, whichever runs first.
      navigate(now && from && from !== '/login' ? from : now ? homeOf(now) : '/', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  // Strong e-identification (OIDC): a full navigation to the server, which sends the browser on to the provider.
  const eid = config?.oidcLogin || config?.staffLogin ? (
    <>
      {loginError && <ErrorAlert error={new ApiError({ code: loginError, status: 400, title: '', detail: '' })} />}
      {config.oidcLogin && (
        <>
          <Paragraph mb="m">{t('login.eidIntro')}</Paragraph>
          <Button data-testid="login-suomifi" mb="l" onClick={() => window.location.assign('/api/v1/auth/login')}>{t('login.eidButton')}</Button>
        </>
      )}
      {config.staffLogin && (
        <Paragraph mb="l">
          <Button variant="secondary" data-testid="login-staff-sso" onClick={() => window.location.assign('/api/v1/auth/staff/login')}>{t('login.staffSsoButton')}</Button>
        </Paragraph>
      )}
    </>
  ) : null;

  if (!config?.demoLogin) {
    return (
      <>
        <PageTitle title={t('login.title')}>{t('login.title')}</PageTitle>
        {eid ?? (
          <Notification showCloseButton={false} headingText={t('login.eidTitle')} regionAriaLabel={t('login.eidTitle')} mb="m">
            {t('login.eidText')}
          </Notification>
        )}
      </>
    );
  }

  const year = (d: string) => d.slice(0, 4);
  return (
    <>
      <PageTitle title={t('login.title')}>{t('login.title')}</PageTitle>
      {eid}
      <Paragraph mb="m">{t('login.demoIntro')}</Paragraph>
      <Paragraph mb="m"><AppLink to="/services" testId="public-services">{t('login.servicesLink')}</AppLink></Paragraph>
      {demoOutbox && <Paragraph mb="m"><AppLink to="/demo/outbox" testId="login-demo-outbox">{t('login.demoOutboxLink')}</AppLink></Paragraph>}
      <ErrorAlert error={error} />
      {!personas ? (
        <Loading />
      ) : (
        <>
          <Heading variant="h2" mb="s">{t('login.citizens')}</Heading>
          <ul className="persona-list">
            {personas.persons.map((p) => (
              <li key={p.key}>
                <Button variant="secondary" disabled={busy !== null} data-testid={`persona-${p.key}`} onClick={() => login({ person: p.id }, p.key)}>
                  {t('login.personButton', { name: p.name, year: year(p.birthDate), municipality: names.municipality(p.municipality ?? '') })}
                </Button>
              </li>
            ))}
          </ul>
          <Heading variant="h2" mb="s">{t('login.staff')}</Heading>
          <ul className="persona-list">
            {personas.staff.map((s) => (
              <li key={s.key}>
                <Button variant="secondary" disabled={busy !== null} data-testid={`staff-${s.key}`} onClick={() => login({ staff: s.key }, s.key)}>
                  {s.name}{s.roles.length ? ` (${s.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ')})` : ''}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
