import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Block, Button, LanguageMenu, LanguageMenuItem, SkipLink, Text } from 'suomifi-ui-components';
import { chooseLanguage, LANGS } from './i18n.js';
import { ADMIN_ROLES, homeOf, useNames, useSession } from './session.js';
import { AppLink, Loading } from './components/ui.js';
import { LoginPage } from './pages/LoginPage.js';
import { HomePage } from './pages/HomePage.js';
import { GrantPage, RequestPage } from './pages/MandateFormPage.js';
import { DecidePage } from './pages/DecidePage.js';
import { MandatePage } from './pages/MandatePage.js';
import { OrganisationsPage } from './pages/OrganisationsPage.js';
import { StaffPage } from './pages/StaffPage.js';
import { ServicesPage } from './pages/ServicesPage.js';
import { AdminPage } from './pages/AdminPage.js';

const LANGUAGE_NAMES = { fi: 'Suomi (FI)', sv: 'Svenska (SV)', en: 'English (EN)' } as const;

function LanguageSwitcher() {
  const { t } = useTranslation();
  const { lang } = useNames();
  return (
    <LanguageMenu buttonText={LANGUAGE_NAMES[lang]} aria-label={t('layout.language')} data-testid="language-menu">
      {LANGS.map((l) => (
        <LanguageMenuItem key={l} lang={l} selected={l === lang} onSelect={() => chooseLanguage(l)}>
          {LANGUAGE_NAMES[l]}
        </LanguageMenuItem>
      ))}
    </LanguageMenu>
  );
}

function Header() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const signingOrgs = me?.kind === 'person' ? me.organizations.filter((o) => o.signing !== 'none') : [];
  const isCaseworker = me?.kind === 'staff' && me.staff.roles.includes('caseworker');
  const isAdmin = me?.kind === 'staff' && me.staff.roles.some((r) => ADMIN_ROLES.includes(r));
  return (
    <header className="site-header">
      <div className="header-row">
        <div className="brand">
          <Text variant="bold" className="brand-name">Puolesta</Text>
          <Text className="brand-tagline">{t('layout.tagline')}</Text>
        </div>
        <div className="header-tools">
          {me && (
            <Text className="who" data-testid="who">
              {me.kind === 'person' ? me.person.name : me.staff.name}
            </Text>
          )}
          <LanguageSwitcher />
          {me && (
            <Button
              variant="secondary"
              data-testid="logout"
              onClick={async () => {
                await logout();
                navigate('/login');
              }}
            >
              {t('layout.logout')}
            </Button>
          )}
        </div>
      </div>
      {me && (
        <nav aria-label={t('layout.nav')} className="main-nav">
          <ul>
            {me.kind === 'person' && (
              <>
                <li><AppLink to="/">{t('nav.home')}</AppLink></li>
                <li><AppLink to="/grant">{t('nav.grant')}</AppLink></li>
                <li><AppLink to="/request">{t('nav.request')}</AppLink></li>
                <li><AppLink to="/services">{t('nav.services')}</AppLink></li>
                {signingOrgs.length > 0 && <li><AppLink to="/organisations">{t('nav.organisations')}</AppLink></li>}
              </>
            )}
            {isCaseworker && <li><AppLink to="/staff">{t('nav.staff')}</AppLink></li>}
            {isAdmin && <li><AppLink to="/admin">{t('nav.admin')}</AppLink></li>}
          </ul>
        </nav>
      )}
    </header>
  );
}

/** Only for a logged-in citizen (or staff, optionally with one of `roles`); everyone else goes to the login page. */
function Guard({ kind, roles, children }: { kind: 'person' | 'staff'; roles?: string[]; children: ReactNode }) {
  const { loading, me } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.kind !== kind) return <Navigate to={homeOf(me)} replace />;
  if (roles && me.kind === 'staff' && !me.staff.roles.some((r) => roles.includes(r))) {
    const home = homeOf(me);
    return home === location.pathname ? <Navigate to="/services" replace /> : <Navigate to={home} replace />;
  }
  return <>{children}</>;
}

export function App() {
  const { t } = useTranslation();
  const { loading } = useSession();
  return (
    <>
      <SkipLink href="#main">{t('layout.skip')}</SkipLink>
      <Header />
      <main id="main" className="main">
        <Block padding="m" className="content">
          {loading ? (
            <Loading />
          ) : (
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/" element={<Guard kind="person"><HomePage /></Guard>} />
              <Route path="/grant" element={<Guard kind="person"><GrantPage /></Guard>} />
              <Route path="/request" element={<Guard kind="person"><RequestPage /></Guard>} />
              <Route path="/requests/:id" element={<Guard kind="person"><DecidePage /></Guard>} />
              <Route path="/mandates/:id" element={<Guard kind="person"><MandatePage /></Guard>} />
              <Route path="/organisations" element={<Guard kind="person"><OrganisationsPage /></Guard>} />
              <Route path="/staff" element={<Guard kind="staff"><StaffPage /></Guard>} />
              <Route path="/admin" element={<Guard kind="staff" roles={ADMIN_ROLES}><AdminPage /></Guard>} />
              <Route path="/services" element={<ServicesPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          )}
        </Block>
      </main>
      <footer className="site-footer">
        <Text>{t('layout.footer')}</Text>
      </footer>
    </>
  );
}
