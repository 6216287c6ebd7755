import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../api/client.ts';
import { LANGUAGES, type Lang } from '../i18n/languages.ts';
import { OfflineStatus } from '../offline/OfflineStatus.tsx';
import { SavedCopyBanner } from '../offline/SavedCopyBanner.tsx';
import { splitLanguage, withLanguage } from './lang-path.ts';
import { usePageTitle } from './page-title.ts';
import { usePrefs } from './prefs.tsx';
import { useSession } from './session.tsx';

/** The inbox with its count in the header: what waits for the signed-in user. */
function InboxLink() {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const inbox = useQuery({
    queryKey: ['inbox'],
    queryFn: () =>
      getJson<{
        toValidate: number;
        toApprove: number;
        sentBack?: number;
        invitations?: { expired: number };
        reviews?: { count: number };
      }>('/inbox'),
    staleTime: 30_000,
  });
  // What needs the user's action: values to validate or approve, values sent back to them to correct,
  // (administrators) expired invitations, and review assignments.
  const n =
    (inbox.data?.toValidate ?? 0) +
    (inbox.data?.toApprove ?? 0) +
    (inbox.data?.sentBack ?? 0) +
    (inbox.data?.invitations?.expired ?? 0) +
    (inbox.data?.reviews?.count ?? 0);
  return (
    <Link to="/inbox" className="account-link">
      {t('inbox.link', { n: num(n, 0), count: n })}
    </Link>
  );
}

/**
 * The header's menu on a narrow screen (styles.css shows the button below 56rem): a disclosure button with
 * aria-expanded; Escape closes it and gives the focus back to the button, and a new page closes it.
 */
function useHeaderMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the menu closes when the page changes
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open]);
  return { open, toggle: () => setOpen((o) => !o), button };
}

/**
 * The address of the page shown in another language, as the language chooser makes it (prefs.tsx, setLang): its
 * language prefix changed, its query kept. Without the fragment, which the server does not see, and without a
 * trailing slash, as the server draws the page (packages/server/src/web/web-routes.ts), so that the link the server
 * wrote and the one the browser's first drawing writes are the same.
 */
function addressInLanguage(publicHref: string, l: Lang): string {
  const address = publicHref.split('#')[0] ?? '';
  const q = address.indexOf('?');
  const pathname = (q < 0 ? address : address.slice(0, q)).replace(/(.)\/+$/, '$1');
  const { lang, rest } = splitLanguage(pathname);
  return withLanguage(l, lang ? rest : pathname) + (q < 0 ? '' : address.slice(q));
}

/**
 * The language chooser without JavaScript: a link to the page in each other language, its name in its own language
 * (the page's language named, not linked).
 * Drawn on the server and in the browser alike; styles.css shows it where scripts do not run, the select elsewhere.
 */
function LanguageLinks({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const publicHref = useRouterState({ select: (s) => s.location.publicHref });
  return (
    <ul className="language-links" aria-label={t('layout.language')}>
      {LANGUAGES.map((l) => (
        <li key={l.code}>
          {l.code === lang ? (
            // The page's own language: named, not a link to the page itself.
            <span lang={l.code} dir={l.dir} aria-current="true">
              {l.name}
            </span>
          ) : (
            <a href={addressInLanguage(publicHref, l.code)} hrefLang={l.code} lang={l.code} dir={l.dir}>
              {l.name}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const { lang, setLang, digits, setDigits } = usePrefs();
  const { me } = useSession();
  const menu = useHeaderMenu();
  usePageTitle(t('app.name'));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="site-header">
        <div className="brand">
          <Link to="/" className="brand-link">
            <span className="brand-mark" aria-hidden="true">
              ◉
            </span>
            <span>{t('app.name')}</span>
          </Link>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        {/* The menu's controls and the menu. Without JavaScript (the page as the server drew it, decision 0007) the
            button cannot work: links in its place open the menu, this box being the address's fragment (#site-nav),
            and close it (#top). styles.css shows the links or the button (the `scripting` media feature). */}
        <div id="site-nav" className="site-nav">
          <a href="#site-nav" className="menu-link menu-open">
            <span aria-hidden="true" className="menu-icon">
              ☰
            </span>{' '}
            {t('layout.menu')}
          </a>
          <a href="#top" className="menu-link menu-close">
            <span aria-hidden="true" className="menu-icon">
              ✕
            </span>{' '}
            {t('layout.closeMenu')}
          </a>
          <button
            type="button"
            ref={menu.button}
            className="menu-button secondary"
            aria-expanded={menu.open}
            aria-controls="site-menu"
            onClick={menu.toggle}
          >
            <span aria-hidden="true" className="menu-icon">
              ☰
            </span>{' '}
            {t('layout.menu')}
          </button>
          <div id="site-menu" className="site-menu" data-open={menu.open}>
            <nav aria-label={t('layout.mainNav')} className="main-nav">
              <Link to="/" activeOptions={{ exact: true }}>
                {t('nav.home')}
              </Link>
              <Link to="/indicators">{t('nav.indicators')}</Link>
              <Link to="/places">{t('nav.places')}</Link>
              <Link to="/programmes">{t('nav.programmes')}</Link>
              <Link to="/safety">{t('safetyMonitor.nav')}</Link>
              <Link to="/compare">{t('nav.compare')}</Link>
              <Link to="/knowledge">{t('nav.knowledge')}</Link>
              <Link to="/network">{t('nav.network')}</Link>
              <Link to="/status">{t('nav.status')}</Link>
              <Link to="/reviews">{t('nav.reviews')}</Link>
              {me?.roles.some((r) =>
                ['administrator', 'national-focal-point', 'city-focal-point'].includes(r.role),
              ) && <Link to="/entry">{t('nav.entry')}</Link>}
              {me?.roles.some((r) => r.place || r.role === 'administrator') && (
                <Link to="/import">{t('nav.import')}</Link>
              )}
              {me?.roles.some((r) => r.role === 'administrator') && <Link to="/admin">{t('nav.admin')}</Link>}
            </nav>
            <div className="prefs">
              {me && <InboxLink />}
              {me && <OfflineStatus />}
              <Link to="/sign-in" className="account-link">
                {me ? <span dir="auto">{me.user.displayName ?? me.user.email}</span> : t('account.signIn')}
              </Link>
              {/* The selects need the app; without JavaScript styles.css hides them and shows the links below. */}
              <label className="needs-script">
                <span className="visually-hidden">{t('layout.language')}</span>
                <select
                  value={lang}
                  onChange={(e) => setLang(e.target.value as Lang)}
                  aria-label={t('layout.language')}
                >
                  {LANGUAGES.map((l) => (
                    <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
              {/* After the select: where scripts run, the first element named "Language" is the select (tests take it). */}
              <LanguageLinks lang={lang} />
              {lang === 'ar' && (
                <label className="needs-script">
                  <span className="visually-hidden">{t('layout.digits')}</span>
                  <select
                    value={digits}
                    onChange={(e) => setDigits(e.target.value === 'latn' ? 'latn' : 'arab')}
                    aria-label={t('layout.digits')}
                  >
                    <option value="arab">{t('layout.digitsArab')}</option>
                    <option value="latn">{t('layout.digitsLatn')}</option>
                  </select>
                </label>
              )}
            </div>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <SavedCopyBanner />
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t('layout.footerData')}</p>
        <p>
          <a href="/api/docs">{t('layout.api')}</a> ·{' '}
          <a href="/api/v1/downloads/all?format=csv">{t('layout.downloadAll')}</a>
        </p>
      </footer>
    </>
  );
}
