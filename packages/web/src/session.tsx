import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, client, setCsrfToken, type AuthConfig, type Bundle, type Issue, type Lang, type Me, type Municipality } from './api.js';
import { defaultToPersonaLanguage } from './i18n.js';

export interface Catalogue {
  issues: Issue[];
  bundles: Bundle[];
  municipalities: Municipality[];
}

/** What waits for the logged-in user (GET /api/v1/me `pending`), as the navigation counts it. */
export type Pending = Me['pending'];
const NO_PENDING: Pending = { mandates: 0, errands: 0 };

interface SessionValue {
  loading: boolean;
  /** What waits for me, refreshed after every change made through the API and on navigation. */
  pending: Pending;
  /** Asks the server again what waits for me (the session itself is kept). */
  refreshPending(): Promise<void>;
  config: AuthConfig | null;
  me: Me | null;
  catalogue: Catalogue;
  refresh(): Promise<Me | null>;
  /** Loads the mandate issues and bundles again (after the umbrella organisation has changed them). */
  reloadCatalogue(): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

// After a change made through the API (a decision, a signature, a revocation…) what waits for me may have changed.
const changeListeners = new Set<() => void>();
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
client.use({
  onResponse({ request, response }) {
    if (response.ok && CHANGING.has(request.method) && !new URL(request.url, window.location.href).pathname.startsWith('/auth/')) for (const l of changeListeners) l();
    return response;
  },
});

/** What the app asks the server at start, all at once: how to log in, the catalogue's names, and who I am. */
function fetchBootstrap() {
  return {
    rest: Promise.all([
      api<AuthConfig>('GET', '/auth/config').catch((): AuthConfig => ({ mode: 'production', demoLogin: false, oidcLogin: false, staffLogin: false })),
      api<{ issues: Issue[] }>('GET', '/api/v1/catalogue/issues').catch(() => ({ issues: [] as Issue[] })),
      api<{ bundles: Bundle[] }>('GET', '/api/v1/catalogue/bundles').catch(() => ({ bundles: [] as Bundle[] })),
      api<{ municipalities: Municipality[] }>('GET', '/api/v1/municipalities').catch(() => ({ municipalities: [] as Municipality[] })),
    ]),
    me: api<Me>('GET', '/api/v1/me'),
  };
}

let early: ReturnType<typeof fetchBootstrap> | null = null;
/** Starts the start-up requests before React's first render (main.tsx), so that the two overlap. */
export function preloadSession() {
  early ??= fetchBootstrap();
  early.me.catch(() => undefined); // handled when taken; never an unhandled rejection meanwhile
}
/** The preloaded requests, once (a remount asks again). */
function takeBootstrap() {
  const b = early ?? fetchBootstrap();
  early = null;
  return b;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [loading, setLoading] = useState(true);
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [pending, setPending] = useState<Pending>(NO_PENDING);
  const [catalogue, setCatalogue] = useState<Catalogue>({ issues: [], bundles: [], municipalities: [] });

  /** Takes the answer of `GET /api/v1/me`: the session, or none (401/404). */
  const apply = useCallback((answer: Promise<Me>): Promise<Me | null> => answer.then((m) => {
    setCsrfToken(m.csrfToken);
    setMe(m);
    setPending(m.pending);
    if (m.kind === 'person') defaultToPersonaLanguage(m.person.language);
    return m;
  }, (e: unknown) => {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
      setCsrfToken(null);
      setMe(null);
      setPending(NO_PENDING);
      return null;
    }
    throw e;
  }), []);
  const refresh = useCallback(() => apply(api<Me>('GET', '/api/v1/me')), [apply]);

  useEffect(() => {
    const { rest, me } = takeBootstrap();
    void (async () => {
      const [[cfg, issues, bundles, municipalities]] = await Promise.all([rest, apply(me).catch(() => setMe(null))]);
      setConfig(cfg);
      setCatalogue({ issues: issues.issues, bundles: bundles.bundles, municipalities: municipalities.municipalities });
      setLoading(false);
    })();
  }, [apply]);

  const reloadCatalogue = useCallback(async () => {
    const [issues, bundles] = await Promise.all([
      api<{ issues: Issue[] }>('GET', '/api/v1/catalogue/issues'),
      api<{ bundles: Bundle[] }>('GET', '/api/v1/catalogue/bundles'),
    ]);
    setCatalogue((c) => ({ ...c, issues: issues.issues, bundles: bundles.bundles }));
  }, []);

  const logout = useCallback(async () => {
    // Ends the session here and tells where the identity provider ends its own (after an e-identification login).
    const out = await api<{ endSessionUrl: string | null }>('POST', '/api/v1/auth/logout')
      .catch(() => api('POST', '/auth/logout').then(() => null, () => null));
    setCsrfToken(null);
    setMe(null);
    setPending(NO_PENDING);
    if (out?.endSessionUrl) window.location.assign(out.endSessionUrl);
  }, []);

  // Only the counts change (`me` stays the same object: pages that read it do not load again).
  const loggedIn = me !== null;
  const refreshPending = useCallback(async () => {
    if (!loggedIn) return;
    const m = await api<Me>('GET', '/api/v1/me').catch(() => null);
    if (m) setPending((p) => (p.mandates === m.pending.mandates && p.errands === m.pending.errands ? p : m.pending));
  }, [loggedIn]);
  useEffect(() => {
    if (!loggedIn) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Several changes in a row (a save, then a send) ask once.
    const later = () => { clearTimeout(timer); timer = setTimeout(() => void refreshPending(), 150); };
    changeListeners.add(later);
    return () => { changeListeners.delete(later); clearTimeout(timer); };
  }, [loggedIn, refreshPending]);

  return <SessionContext.Provider value={{ loading, config, me, pending, refreshPending, catalogue, refresh, reloadCatalogue, logout }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Names from the catalogue in the current language. */
export function useNames() {
  const { catalogue } = useSession();
  const { i18n } = useTranslation();
  const lang = (['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'fi') as Lang;
  return {
    lang,
    issue: (code: string) => catalogue.issues.find((i) => i.code === code)?.name[lang] ?? code,
    bundle: (code: string) => catalogue.bundles.find((b) => b.code === code)?.name[lang] ?? code,
    municipality: (code: string) => catalogue.municipalities.find((m) => m.code === code)?.name[lang] ?? code,
  };
}

/** May the session do this (an action name of the server's access module)? The UI holds no rules of its own. */
export const can = (me: Me | null, action: string): boolean => me?.permittedActions.includes(action) ?? false;

/** The actions that open the catalogue administration pages. */
export const ADMIN_ACTIONS = ['catalogue-class.edit', 'municipal-service.edit'];

/** Where a logged-in user starts: citizens at home, administrators on the catalogue pages, caseworkers at customer service. */
export function homeOf(me: Me): string {
  if (can(me, 'mandate.list-own')) return '/';
  if (ADMIN_ACTIONS.some((a) => can(me, a))) return '/admin';
  if (can(me, 'staff.check')) return '/staff';
  return '/services';
}
