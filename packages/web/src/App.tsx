import { Component, lazy, Suspense, useEffect, useRef, useState, type ComponentType, type KeyboardEvent, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Block, Button, InlineAlert, LanguageMenu, LanguageMenuItem, SkipLink, Text } from 'suomifi-ui-components';
import { chooseLanguage, LANGS } from './i18n.js';
import { ADMIN_ACTIONS, can, homeOf, useNames, useSession } from './session.js';
import { AppLink, Loading } from './components/ui.js';
import { LoginPage } from './pages/LoginPage.js';
import { HomePage } from './pages/HomePage.js';
import { useDemoOutbox, useUnreadCount } from './notifications.js';

/** Set while the document is loaded again because a page's script would not load (once, not in a loop). */
const RELOADED_FOR_SCRIPT = 'puolesta.reloaded-for-page-script';

/**
 * A page loaded when first opened (its own script), as React's `lazy` wants it. A script that will not load
 * is nearly always one a new release replaced while this tab stayed open (its name carries the old hash, and
 * the server answers 404): the document is loaded again, once, and the new release's page names the new one.
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then(
    (m) => {
      sessionStorage.removeItem(RELOADED_FOR_SCRIPT);
      return { default: m[name] };
    },
    (e: unknown) => {
      if (sessionStorage.getItem(RELOADED_FOR_SCRIPT)) throw e;
      sessionStorage.setItem(RELOADED_FOR_SCRIPT, '1');
      window.location.reload();
      return new Promise<never>(() => {});
    },
  ));
}

/**
 * A page that cannot be shown — its script would not load even after the document was loaded again
 * (the network is down, the server is away), or it failed while drawing — says so in the reader's
 * language, with a button that loads the document again; the header and its menu stay, so the reader
 * can go elsewhere. Going to another address clears it.
 */
class PageFailure extends Component<{ path: string; children: ReactNode }, { failed: boolean; path: string }> {
  override state = { failed: false, path: this.props.path };

  static getDerivedStateFromError(): Partial<{ failed: boolean }> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { path: string }, state: { failed: boolean; path: string }) {
    return props.path === state.path ? null : { failed: false, path: props.path };
  }

  override render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}

function PageFailed() {
  const { t } = useTranslation();
  return (
    <InlineAlert status="error" role="alert" data-testid="page-failed" labelText={t('layout.pageFailedTitle')}>
      <Text>{t('layout.pageFailed')}</Text>
      <div style={{ marginTop: 16 }}>
        <Button variant="secondary" data-testid="page-failed-retry" onClick={() => window.location.reload()}>{t('layout.pageFailedRetry')}</Button>
      </div>
    </InlineAlert>
  );
}

// The first screens (login, a person's home) come with the app; every other page, with the parts only it
// uses (the date picker and its date library, the forms' renderer, the admin tools), loads when first opened.
const GrantPage = lazyPage(() => import('./pages/MandateFormPage.js'), 'GrantPage');
const RequestPage = lazyPage(() => import('./pages/MandateFormPage.js'), 'RequestPage');
const DecidePage = lazyPage(() => import('./pages/DecidePage.js'), 'DecidePage');
const MandatePage = lazyPage(() => import('./pages/MandatePage.js'), 'MandatePage');
const LogPage = lazyPage(() => import('./pages/LogPage.js'), 'LogPage');
const OrganisationsPage = lazyPage(() => import('./pages/OrganisationsPage.js'), 'OrganisationsPage');
const StaffPage = lazyPage(() => import('./pages/StaffPage.js'), 'StaffPage');
const StaffCheckPage = lazyPage(() => import('./pages/StaffCheckPage.js'), 'StaffCheckPage');
const StaffPaperPage = lazyPage(() => import('./pages/StaffPaperPage.js'), 'StaffPaperPage');
const StaffPersonPage = lazyPage(() => import('./pages/StaffPersonPage.js'), 'StaffPersonPage');
const ServicesPage = lazyPage(() => import('./pages/ServicesPage.js'), 'ServicesPage');
const AdminPage = lazyPage(() => import('./pages/AdminPage.js'), 'AdminPage');
const MessagesPage = lazyPage(() => import('./pages/MessagesPage.js'), 'MessagesPage');
const SettingsPage = lazyPage(() => import('./pages/SettingsPage.js'), 'SettingsPage');
const DemoOutboxPage = lazyPage(() => import('./pages/DemoOutboxPage.js'), 'DemoOutboxPage');
const FormPreviewPage = lazyPage(() => import('./pages/FormPreviewPage.js'), 'FormPreviewPage');
const ErrandStartPage = lazyPage(() => import('./pages/ErrandStartPage.js'), 'ErrandStartPage');
const ErrandEditPage = lazyPage(() => import('./pages/ErrandEditPage.js'), 'ErrandEditPage');
const ErrandPage = lazyPage(() => import('./pages/ErrandPage.js'), 'ErrandPage');
const MyErrandsPage = lazyPage(() => import('./pages/MyErrandsPage.js'), 'MyErrandsPage');
const StaffErrandsPage = lazyPage(() => import('./pages/StaffErrandsPage.js'), 'StaffErrandsPage');

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

/** A count in the navigation: the number shown, and what it means said to a screen reader ("3 waiting for you"). */
function CountBadge({ count, label, testId }: { count: number; label: string; testId: string }) {
  if (count <= 0) return null;
  return (
    <span data-testid={testId} data-count={count}>
      {' '}<span className="count-badge" aria-hidden="true">{count}</span>
      <span className="visually-hidden">({label})</span>
    </span>
  );
}

/**
 * The header. On a narrow screen it is one line (the name of the service and a menu button); the
 * button opens the navigation with the user's name, the language switch and logging out. On a wide
 * screen everything shows as before and the button is not there.
 */
function Header() {
  const { t } = useTranslation();
  const { me, logout, pending } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const orgsToRead = me?.kind === 'person' ? me.organizations.filter((o) => o.permittedActions.includes('read-mandates')) : [];
  const isAdmin = ADMIN_ACTIONS.some((a) => can(me, a));
  const unread = useUnreadCount(me);
  const demoOutbox = useDemoOutbox();
  // Going to another page closes the menu.
  useEffect(() => setOpen(false), [pathname]);
  const waiting = pending.mandates + pending.errands;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && open) {
      setOpen(false);
      toggle.current?.focus();
    }
  };
  return (
    <header className={`site-header${me ? ' has-menu' : ''}${open ? ' menu-open' : ''}`}>
      <div className="header-row" onKeyDown={onKeyDown}>
        <div className="brand">
          <Text variant="bold" className="brand-name">Puolesta</Text>
          <Text className="brand-tagline">{t('layout.tagline')}</Text>
        </div>
        {me && <button
          type="button"
          ref={toggle}
          className="menu-toggle"
          aria-expanded={open}
          aria-controls="site-menu"
          data-testid="menu-toggle"
          onClick={() => setOpen((o) => !o)}
        >
          <span className="menu-icon" aria-hidden="true"><span /><span /><span /></span>
          <span>{t('chrome.menu')}</span>
          <CountBadge count={waiting} label={t('chrome.waiting', { count: waiting })} testId="menu-pending" />
        </button>}
        <div id="site-menu" className="site-menu" data-testid="site-menu">
          <div className="header-tools">
            {me && (
              <Text className="who" data-testid="who">
                {me.name}
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
          {me && (
            <nav aria-label={t('layout.nav')} className="main-nav">
              <ul>
                {can(me, 'mandate.list-own') && (
                  <NavItem to="/" testId="nav-home">
                    {t('nav.home')}
                    <CountBadge count={pending.mandates} label={t('chrome.waiting', { count: pending.mandates })} testId="pending-mandates" />
                  </NavItem>
                )}
                {(can(me, 'mandate.grant') || (me.kind === 'person' && [...me.children, ...me.organizations].some((p) => p.permittedActions.includes('grant')))) && <NavItem to="/grant">{t('nav.grant')}</NavItem>}
                {can(me, 'mandate.request') && <NavItem to="/request">{t('nav.request')}</NavItem>}
                {can(me, 'mandate.list-own') && <NavItem to="/services">{t('nav.services')}</NavItem>}
                {can(me, 'errand.list-own') && (
                  <NavItem to="/errands" testId="nav-errands">
                    {t('nav.errands')}
                    <CountBadge count={pending.errands} label={t('chrome.waiting', { count: pending.errands })} testId="pending-errands" />
                  </NavItem>
                )}
                {can(me, 'mandate.list-log-own') && <NavItem to="/log" testId="nav-log">{t('usageLog.nav')}</NavItem>}
                {orgsToRead.length > 0 && <NavItem to="/organisations">{t('nav.organisations')}</NavItem>}
                {can(me, 'staff.check') && <NavItem to="/staff">{t('nav.staff')}</NavItem>}
                {can(me, 'errand.queue') && (
                  <NavItem to="/staff/errands" testId="nav-staff-errands">
                    {t('nav.staffErrands')}
                    <CountBadge count={pending.errands} label={t('chrome.waitingDecision', { count: pending.errands })} testId="pending-queue" />
                  </NavItem>
                )}
                {isAdmin && <NavItem to="/admin">{t('nav.admin')}</NavItem>}
                {can(me, 'message.list-own') && (
                  <NavItem to="/messages" testId="nav-messages">
                    {t('nav.messages')}
                    {unread > 0 && (
                      <span data-testid="unread-count" data-count={unread}>
                        {' '}<span className="count-badge" aria-hidden="true">{unread}</span>
                        <span className="visually-hidden">({t('nav.unread', { count: unread })})</span>
                      </span>
                    )}
                  </NavItem>
                )}
                {can(me, 'settings.edit-own') && <NavItem to="/settings" testId="nav-settings">{t('nav.settings')}</NavItem>}
                {demoOutbox && <NavItem to="/demo/outbox" testId="nav-demo-outbox">{t('nav.demoOutbox')}</NavItem>}
              </ul>
            </nav>
          )}
        </div>
      </div>
    </header>
  );
}

/** Only for a session that may do one of `actions` (from GET /api/v1/me); others go home, and the logged-out to the login page. */
function Guard({ actions, children }: { actions: string[]; children: ReactNode }) {
  const { loading, me } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!actions.some((a) => can(me, a))) {
    const home = homeOf(me);
    return home === location.pathname ? <Navigate to="/services" replace /> : <Navigate to={home} replace />;
  }
  return <>{children}</>;
}

/**
 * The address whose page is on screen, as `data-route` on the document. Going to another page is a
 * transition: until the new page (and its script) is ready the previous one stays, and only then does
 * this change. Tests wait for it to match the address (test/browser.ts `ready`).
 */
function RouteShown() {
  const { pathname } = useLocation();
  useEffect(() => {
    document.documentElement.dataset.route = pathname;
  }, [pathname]);
  return null;
}

export function App() {
  const { t } = useTranslation();
  const { loading } = useSession();
  const { pathname } = useLocation();
  return (
    <>
      <RouteShown />
      <SkipLink href="#main">{t('layout.skip')}</SkipLink>
      <Header />
      <main id="main" className="main">
        <Block padding="m" className="content">
          {loading ? (
            <Loading />
          ) : (
            <PageFailure path={pathname}>
            <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/" element={<Guard actions={['mandate.list-own']}><HomePage /></Guard>} />
              <Route path="/grant" element={<Guard actions={['mandate.list-own']}><GrantPage /></Guard>} />
              <Route path="/request" element={<Guard actions={['mandate.request']}><RequestPage /></Guard>} />
              <Route path="/requests/:id" element={<Guard actions={['mandate.list-own']}><DecidePage /></Guard>} />
              <Route path="/mandates/:id" element={<Guard actions={['mandate.list-own']}><MandatePage /></Guard>} />
              <Route path="/log" element={<Guard actions={['mandate.list-log-own']}><LogPage /></Guard>} />
              <Route path="/organisations" element={<Guard actions={['mandate.list-own']}><OrganisationsPage /></Guard>} />
              <Route path="/staff" element={<Guard actions={['staff.check', 'paper-mandate.register', 'staff.person-mandates', 'errand.queue']}><StaffPage /></Guard>} />
              {/* Caseworker pages (issue 10, item 6): the check, the paper registration and the per-person view, each its own page. */}
              <Route path="/staff/check" element={<Guard actions={['staff.check']}><StaffCheckPage /></Guard>} />
              <Route path="/staff/paper-mandates/new" element={<Guard actions={['paper-mandate.register']}><StaffPaperPage /></Guard>} />
              <Route path="/staff/people" element={<Guard actions={['staff.person-mandates']}><StaffPersonPage /></Guard>} />
              <Route path="/errands" element={<Guard actions={['errand.list-own']}><MyErrandsPage /></Guard>} />
              <Route path="/errands/new" element={<Guard actions={['errand.create']}><ErrandStartPage /></Guard>} />
              <Route path="/errands/:id/edit" element={<Guard actions={['errand.list-own']}><ErrandEditPage /></Guard>} />
              <Route path="/errands/:id" element={<Guard actions={['errand.list-own', 'errand.queue']}><ErrandPage /></Guard>} />
              <Route path="/staff/errands" element={<Guard actions={['errand.queue']}><StaffErrandsPage /></Guard>} />
              <Route path="/admin/*" element={<Guard actions={ADMIN_ACTIONS}><AdminPage /></Guard>} />
              <Route path="/messages" element={<Guard actions={['message.list-own']}><MessagesPage /></Guard>} />
              <Route path="/settings" element={<Guard actions={['settings.edit-own']}><SettingsPage /></Guard>} />
              <Route path="/services" element={<ServicesPage />} />
              <Route path="/services/:municipality/:service/form-preview" element={<FormPreviewPage />} />
              <Route path="/demo/outbox" element={<DemoOutboxPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
            </Suspense>
            </PageFailure>
          )}
        </Block>
      </main>
      <footer className="site-footer">
        <Text>{t('layout.footer')}</Text>
      </footer>
    </>
  );
}

/** Paths whose pages below them belong to the same item (an errand under "Errands"). */
const PREFIX_ITEMS = new Set(['/errands', '/services', '/messages', '/admin']);

/** One item of the main navigation; the current page's item says so (`aria-current="page"`) and shows it. */
function NavItem({ to, testId, children }: { to: string; testId?: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const current = pathname === to || (PREFIX_ITEMS.has(to) && pathname.startsWith(`${to}/`));
  return (
    <li className={current ? 'current' : undefined}>
      <AppLink to={to} testId={testId} current={current}>{children}</AppLink>
    </li>
  );
}
