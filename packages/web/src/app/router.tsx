import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { PageError } from '../components/ErrorBoundary.tsx';
import { HomePage } from '../pages/home/HomePage.tsx';
import { validateKnowledgeSearch } from '../pages/knowledge/knowledge-search-params.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { pageLanguage, putLanguageInAddress, splitLanguage, withLanguage } from './lang-path.ts';
import { Layout } from './layout.tsx';

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: () => <NotFoundPage /> });

const home = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });
const indicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/indicators',
  validateSearch: (s: Record<string, unknown>): { framework?: string } =>
    typeof s.framework === 'string' ? { framework: s.framework } : {},
  component: lazyRouteComponent(() => import('../pages/indicators/IndicatorListPage.tsx'), 'IndicatorListPage'),
});
const indicator = createRoute({
  getParentRoute: () => rootRoute,
  path: '/indicators/$code',
  component: lazyRouteComponent(() => import('../pages/indicators/IndicatorPage.tsx'), 'IndicatorPage'),
});
const places = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places',
  component: lazyRouteComponent(() => import('../pages/places/PlaceListPage.tsx'), 'PlaceListPage'),
});
const place = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places/$code',
  component: lazyRouteComponent(() => import('../pages/places/PlacePage.tsx'), 'PlacePage'),
});
const placeReport = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places/$code/report',
  component: lazyRouteComponent(() => import('../pages/places/CountryReportPage.tsx'), 'CountryReportPage'),
});
const programmes = createRoute({
  getParentRoute: () => rootRoute,
  path: '/programmes',
  component: lazyRouteComponent(() => import('../pages/programmes/ProgrammeListPage.tsx'), 'ProgrammeListPage'),
});
const programme = createRoute({
  getParentRoute: () => rootRoute,
  path: '/programmes/$code',
  component: lazyRouteComponent(() => import('../pages/programmes/ProgrammePage.tsx'), 'ProgrammePage'),
});
const successIndicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/success-indicators',
  component: lazyRouteComponent(() => import('../pages/programmes/SuccessIndicatorsPage.tsx'), 'SuccessIndicatorsPage'),
});
const boardProgressDefault = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/board-progress',
  component: lazyRouteComponent(() => import('../pages/reports/BoardProgressPage.tsx'), 'BoardProgressDefault'),
});
const boardProgress = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/board-progress/$from/$to',
  component: lazyRouteComponent(() => import('../pages/reports/BoardProgressPage.tsx'), 'BoardProgressPage'),
});
const compare = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compare',
  validateSearch: (s: Record<string, unknown>): { places?: string; indicator?: string } => ({
    ...(typeof s.places === 'string' ? { places: s.places } : {}),
    ...(typeof s.indicator === 'string' ? { indicator: s.indicator } : {}),
  }),
  component: lazyRouteComponent(() => import('../pages/compare/ComparePage.tsx'), 'ComparePage'),
});
const status = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status',
  validateSearch: (s: Record<string, unknown>): { framework?: string } =>
    typeof s.framework === 'string' ? { framework: s.framework } : {},
  component: lazyRouteComponent(() => import('../pages/status/ReportingStatusPage.tsx'), 'ReportingStatusPage'),
});

// Knowledge repository, network and workshops (issue 5).
const knowledge = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge',
  validateSearch: validateKnowledgeSearch,
  component: lazyRouteComponent(() => import('../pages/knowledge/KnowledgeSearchPage.tsx'), 'KnowledgeSearchPage'),
});
const knowledgeNew = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/new',
  component: lazyRouteComponent(() => import('../pages/knowledge/ItemEditPage.tsx'), 'ItemNewPage'),
});
const knowledgeItem = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/$id',
  component: lazyRouteComponent(() => import('../pages/knowledge/ItemPage.tsx'), 'ItemPage'),
});
const knowledgeEdit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/$id/edit',
  component: lazyRouteComponent(() => import('../pages/knowledge/ItemEditPage.tsx'), 'ItemEditPage'),
});
const network = createRoute({
  getParentRoute: () => rootRoute,
  path: '/network',
  component: lazyRouteComponent(() => import('../pages/knowledge/NetworkPage.tsx'), 'NetworkPage'),
});
const workshops = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workshops',
  component: lazyRouteComponent(() => import('../pages/knowledge/WorkshopsPages.tsx'), 'WorkshopListPage'),
});
const workshop = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workshops/$id',
  component: lazyRouteComponent(() => import('../pages/knowledge/WorkshopsPages.tsx'), 'WorkshopPage'),
});

const signIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  component: lazyRouteComponent(() => import('../pages/account/SignInPage.tsx'), 'SignInPage'),
});
const accept = createRoute({
  getParentRoute: () => rootRoute,
  path: '/accept',
  validateSearch: (s: Record<string, unknown>): { token?: string } =>
    typeof s.token === 'string' ? { token: s.token } : {},
  component: lazyRouteComponent(() => import('../pages/account/AcceptPage.tsx'), 'AcceptPage'),
});

const entry = createRoute({
  getParentRoute: () => rootRoute,
  path: '/entry',
  validateSearch: (s: Record<string, unknown>): { place?: string; period?: string; framework?: string } => ({
    ...(typeof s.place === 'string' ? { place: s.place } : {}),
    ...(typeof s.period === 'string'
      ? { period: s.period }
      : typeof s.period === 'number'
        ? { period: String(s.period) }
        : {}),
    ...(typeof s.framework === 'string' ? { framework: s.framework } : {}),
  }),
  component: lazyRouteComponent(() => import('../pages/entry/EntryPage.tsx'), 'EntryPage'),
});

// Upload of files of values, places and boundaries, with a dry run (issue 14, item 6).
const importPage = createRoute({
  getParentRoute: () => rootRoute,
  path: '/import',
  component: lazyRouteComponent(() => import('../pages/import/ImportPage.tsx'), 'ImportPage'),
});

const inbox = createRoute({
  getParentRoute: () => rootRoute,
  path: '/inbox',
  component: lazyRouteComponent(() => import('../pages/account/InboxPage.tsx'), 'InboxPage'),
});

// Reviews (issue 6): published reviews for everyone; cycles, submissions and the Board report for those with a role.
const reviews = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews',
  component: lazyRouteComponent(() => import('../pages/reviews/ReviewsPage.tsx'), 'ReviewsPage'),
});
const reviewCycleNew = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/new',
  component: lazyRouteComponent(() => import('../pages/reviews/CycleNewPage.tsx'), 'CycleNewPage'),
});
const reviewCycle = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/$id',
  component: lazyRouteComponent(() => import('../pages/reviews/CyclePage.tsx'), 'CyclePage'),
});
const reviewBoardReport = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/$id/board-report',
  component: lazyRouteComponent(() => import('../pages/reviews/BoardReportPage.tsx'), 'BoardReportPage'),
});
const reviewSubmission = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/submissions/$id',
  component: lazyRouteComponent(() => import('../pages/reviews/SubmissionPage.tsx'), 'SubmissionPage'),
});
const reviewPublished = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/published/$id',
  component: lazyRouteComponent(() => import('../pages/reviews/PublishedReviewPage.tsx'), 'PublishedReviewPage'),
});

// Administration (issue 4, item 8): the API decides who may use each page.
const admin = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin',
  component: lazyRouteComponent(() => import('../pages/admin/AdminHomePage.tsx'), 'AdminHomePage'),
});
const adminUsers = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users',
  component: lazyRouteComponent(() => import('../pages/admin/UsersPage.tsx'), 'UsersPage'),
});
const adminUser = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users/$id',
  component: lazyRouteComponent(() => import('../pages/admin/UserPage.tsx'), 'UserPage'),
});
const adminTokens = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/tokens',
  component: lazyRouteComponent(() => import('../pages/admin/TokensAdminPage.tsx'), 'TokensAdminPage'),
});
const adminPlaces = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/places',
  component: lazyRouteComponent(() => import('../pages/admin/PlacesAdminPage.tsx'), 'PlacesAdminPage'),
});
const adminIndicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/indicators',
  component: lazyRouteComponent(() => import('../pages/admin/IndicatorsAdminPage.tsx'), 'IndicatorsAdminPage'),
});
const adminIndicator = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/indicators/$code',
  component: lazyRouteComponent(() => import('../pages/admin/IndicatorRulesPage.tsx'), 'IndicatorRulesPage'),
});
const adminAudit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/audit',
  component: lazyRouteComponent(() => import('../pages/admin/AuditPage.tsx'), 'AuditPage'),
});

const routeTree = rootRoute.addChildren([
  home,
  indicators,
  indicator,
  places,
  place,
  placeReport,
  programmes,
  programme,
  successIndicators,
  boardProgressDefault,
  boardProgress,
  compare,
  status,
  knowledge,
  knowledgeNew,
  knowledgeItem,
  knowledgeEdit,
  network,
  workshops,
  workshop,
  signIn,
  accept,
  inbox,
  entry,
  importPage,
  reviews,
  reviewCycleNew,
  reviewCycle,
  reviewBoardReport,
  reviewSubmission,
  reviewPublished,
  admin,
  adminUsers,
  adminUser,
  adminTokens,
  adminPlaces,
  adminIndicators,
  adminIndicator,
  adminAudit,
]);
// Marsad's server sends an address without language to one with it; Vite's dev server does not.
if (import.meta.env.DEV) putLanguageInAddress();

// A page that fails while drawing shows a message in the reader's language inside the layout (header kept).
// The routes have no language: `rewrite` takes the address's prefix off (`/en/indicators` is
// `/indicators`; an unknown prefix stays, and is not found) and puts the page's language on every
// address the router writes (lang-path.ts).
export const router = createRouter({
  routeTree,
  rewrite: {
    input: ({ url }) => {
      const { lang, rest } = splitLanguage(url.pathname);
      if (!lang) return undefined;
      url.pathname = rest;
      return url;
    },
    output: ({ url }) => {
      url.pathname = withLanguage(pageLanguage(router.history.location.pathname), url.pathname);
      return url;
    },
  },
  defaultPreload: 'intent',
  scrollRestoration: true,
  defaultErrorComponent: PageError,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
