import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  type RouterHistory,
} from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { PageError } from '../components/ErrorBoundary.tsx';
import { loadWorkMessages } from '../i18n/i18n.ts';
import { HomePage } from '../pages/home/HomePage.tsx';
import { validateKnowledgeSearch } from '../pages/knowledge/knowledge-search-params.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { pageLanguage, putLanguageInAddress, splitLanguage, withLanguage } from './lang-path.ts';
import { Layout } from './layout.tsx';
import { PageShown } from './page-shown.tsx';

/**
 * A route's page, loaded when first shown, that says when it is in the document (pageShown): for a page the server
 * drew, that is when React has taken over its HTML (the router draws a page inside a Suspense boundary of its own,
 * taken over after the header), after which main.tsx isolates its numbers.
 */
function page<M extends Record<string, unknown>>(
  load: () => Promise<M>,
  name: keyof M & string,
  use: 'public' | 'work' = 'public',
) {
  // A page of work comes with its messages (i18n/catalog-parts.ts): loaded beside its code, before it is drawn.
  const loadPage = use === 'work' ? () => Promise.all([load(), loadWorkMessages()]).then(([m]) => m) : load;
  // A page takes no props: the route's component is drawn as <Page />.
  const Page = lazyRouteComponent(loadPage, name) as unknown as ComponentType<object> & {
    preload: () => Promise<void>;
  };
  // biome-ignore lint/correctness/noComponentHookFactories: made once per route at module load, never during a render
  const Shown = () => (
    <>
      <Page />
      <PageShown />
    </>
  );
  Shown.preload = Page.preload;
  return Shown;
}

const rootRoute = createRootRoute({
  component: Layout,
  notFoundComponent: () => (
    <>
      <NotFoundPage />
      <PageShown />
    </>
  ),
});

const home = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: () => (
    <>
      <HomePage />
      <PageShown />
    </>
  ),
});
const indicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/indicators',
  validateSearch: (s: Record<string, unknown>): { framework?: string } =>
    typeof s.framework === 'string' ? { framework: s.framework } : {},
  component: page(() => import('../pages/indicators/IndicatorListPage.tsx'), 'IndicatorListPage'),
});
const indicator = createRoute({
  getParentRoute: () => rootRoute,
  path: '/indicators/$code',
  component: page(() => import('../pages/indicators/IndicatorPage.tsx'), 'IndicatorPage'),
});
const places = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places',
  component: page(() => import('../pages/places/PlaceListPage.tsx'), 'PlaceListPage'),
});
const place = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places/$code',
  component: page(() => import('../pages/places/PlacePage.tsx'), 'PlacePage'),
});
const placeReport = createRoute({
  getParentRoute: () => rootRoute,
  path: '/places/$code/report',
  component: page(() => import('../pages/places/CountryReportPage.tsx'), 'CountryReportPage'),
});
const programmes = createRoute({
  getParentRoute: () => rootRoute,
  path: '/programmes',
  component: page(() => import('../pages/programmes/ProgrammeListPage.tsx'), 'ProgrammeListPage'),
});
const programme = createRoute({
  getParentRoute: () => rootRoute,
  path: '/programmes/$code',
  component: page(() => import('../pages/programmes/ProgrammePage.tsx'), 'ProgrammePage'),
});
const successIndicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/success-indicators',
  component: page(() => import('../pages/programmes/SuccessIndicatorsPage.tsx'), 'SuccessIndicatorsPage'),
});
const boardProgressDefault = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/board-progress',
  component: page(() => import('../pages/reports/BoardProgressPage.tsx'), 'BoardProgressDefault'),
});
const boardProgress = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/board-progress/$from/$to',
  component: page(() => import('../pages/reports/BoardProgressPage.tsx'), 'BoardProgressPage'),
});
const compare = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compare',
  validateSearch: (s: Record<string, unknown>): { places?: string; indicator?: string } => ({
    ...(typeof s.places === 'string' ? { places: s.places } : {}),
    ...(typeof s.indicator === 'string' ? { indicator: s.indicator } : {}),
  }),
  component: page(() => import('../pages/compare/ComparePage.tsx'), 'ComparePage'),
});
const status = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status',
  validateSearch: (s: Record<string, unknown>): { framework?: string } =>
    typeof s.framework === 'string' ? { framework: s.framework } : {},
  component: page(() => import('../pages/status/ReportingStatusPage.tsx'), 'ReportingStatusPage'),
});
// The composite safety profile of one place (issue 20): never a list of places.
const safetyProfile = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/profile',
  validateSearch: (s: Record<string, unknown>): { place?: string } =>
    typeof s.place === 'string' ? { place: s.place } : {},
  component: page(() => import('../pages/safety/profile/SafetyProfilePage.tsx'), 'SafetyProfilePage'),
});

// The Urban Safety Monitor (issue 20): the two frameworks side by side, UN-Habitat's monitor by version, its editor
// (administrators), and cities' private self-assessments with their one-page profile.
const safety = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety',
  component: page(() => import('../pages/safety/SafetyLandingPage.tsx'), 'SafetyLandingPage'),
});
const safetyMonitor = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/monitor',
  validateSearch: (s: Record<string, unknown>): { version?: number } => {
    const v = Number(s.version);
    return Number.isInteger(v) && v > 0 ? { version: v } : {};
  },
  component: page(() => import('../pages/safety/SafetyMonitorPage.tsx'), 'SafetyMonitorPage'),
});
const safetyMonitorEdit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/monitor/edit',
  component: page(() => import('../pages/safety/SafetyMonitorEditPage.tsx'), 'SafetyMonitorEditPage', 'work'),
});
const safetyAssessments = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/assessments',
  validateSearch: (s: Record<string, unknown>): { place?: string } =>
    typeof s.place === 'string' ? { place: s.place } : {},
  component: page(() => import('../pages/safety/SafetyAssessmentsPage.tsx'), 'SafetyAssessmentsPage', 'work'),
});
const safetyAssessment = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/assessments/$id',
  component: page(() => import('../pages/safety/SafetyAssessmentPage.tsx'), 'SafetyAssessmentPage', 'work'),
});
const safetyAssessmentProfile = createRoute({
  getParentRoute: () => rootRoute,
  path: '/safety/assessments/$id/profile',
  component: page(
    () => import('../pages/safety/SafetyAssessmentProfilePage.tsx'),
    'SafetyAssessmentProfilePage',
    'work',
  ),
});

// Knowledge repository, network and workshops (issue 5).
const knowledge = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge',
  validateSearch: validateKnowledgeSearch,
  component: page(() => import('../pages/knowledge/KnowledgeSearchPage.tsx'), 'KnowledgeSearchPage'),
});
const knowledgeNew = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/new',
  component: page(() => import('../pages/knowledge/ItemEditPage.tsx'), 'ItemNewPage', 'work'),
});
const knowledgeItem = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/$id',
  component: page(() => import('../pages/knowledge/ItemPage.tsx'), 'ItemPage'),
});
const knowledgeEdit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/knowledge/$id/edit',
  component: page(() => import('../pages/knowledge/ItemEditPage.tsx'), 'ItemEditPage', 'work'),
});
const network = createRoute({
  getParentRoute: () => rootRoute,
  path: '/network',
  component: page(() => import('../pages/knowledge/NetworkPage.tsx'), 'NetworkPage'),
});
const workshops = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workshops',
  component: page(() => import('../pages/knowledge/WorkshopsPages.tsx'), 'WorkshopListPage'),
});
const workshop = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workshops/$id',
  component: page(() => import('../pages/knowledge/WorkshopsPages.tsx'), 'WorkshopPage'),
});

// Adding and editing partners, coordination centres and workshops (issue 19, item 2): `?id=` edits one, none adds
// (an id that is not one: 0, the page says it is not found).
const editSearch = (s: Record<string, unknown>): { id?: number } =>
  s.id === undefined ? {} : { id: /^\d{1,9}$/.test(String(s.id)) ? Number(s.id) : 0 };
const networkPartner = createRoute({
  getParentRoute: () => rootRoute,
  path: '/network/partner',
  validateSearch: editSearch,
  component: page(() => import('../pages/network/PartnerEditPage.tsx'), 'PartnerEditPage', 'work'),
});
const networkCentre = createRoute({
  getParentRoute: () => rootRoute,
  path: '/network/centre',
  validateSearch: editSearch,
  component: page(() => import('../pages/network/PartnerEditPage.tsx'), 'CentreEditPage', 'work'),
});
const networkWorkshop = createRoute({
  getParentRoute: () => rootRoute,
  path: '/network/workshop',
  validateSearch: editSearch,
  component: page(() => import('../pages/network/WorkshopEditPage.tsx'), 'WorkshopEditPage', 'work'),
});

const signIn = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  component: page(() => import('../pages/account/SignInPage.tsx'), 'SignInPage', 'work'),
});
const accept = createRoute({
  getParentRoute: () => rootRoute,
  path: '/accept',
  validateSearch: (s: Record<string, unknown>): { token?: string } =>
    typeof s.token === 'string' ? { token: s.token } : {},
  component: page(() => import('../pages/account/AcceptPage.tsx'), 'AcceptPage', 'work'),
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
  component: page(() => import('../pages/entry/EntryPage.tsx'), 'EntryPage', 'work'),
});

// The work kept on this device to send when back online (issue 21): waiting changes, conflicts, refusals.
const offlinePage = createRoute({
  getParentRoute: () => rootRoute,
  path: '/offline',
  component: page(() => import('../offline/OfflinePage.tsx'), 'OfflinePage', 'work'),
});

// Upload of files of values, places and boundaries, with a dry run (issue 14, item 6).
const importPage = createRoute({
  getParentRoute: () => rootRoute,
  path: '/import',
  component: page(() => import('../pages/import/ImportPage.tsx'), 'ImportPage', 'work'),
});

const inbox = createRoute({
  getParentRoute: () => rootRoute,
  path: '/inbox',
  component: page(() => import('../pages/account/InboxPage.tsx'), 'InboxPage', 'work'),
});

// Reviews (issue 6): published reviews for everyone; cycles, submissions and the Board report for those with a role.
const reviews = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews',
  component: page(() => import('../pages/reviews/ReviewsPage.tsx'), 'ReviewsPage'),
});
const reviewCycleNew = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/new',
  component: page(() => import('../pages/reviews/CycleNewPage.tsx'), 'CycleNewPage', 'work'),
});
const reviewCycle = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/$id',
  component: page(() => import('../pages/reviews/CyclePage.tsx'), 'CyclePage', 'work'),
});
const reviewBoardReport = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/cycles/$id/board-report',
  component: page(() => import('../pages/reviews/BoardReportPage.tsx'), 'BoardReportPage', 'work'),
});
const reviewSubmission = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/submissions/$id',
  component: page(() => import('../pages/reviews/SubmissionPage.tsx'), 'SubmissionPage', 'work'),
});
// Issue 19, item 3: the questionnaire builder (administrators, as the API's questionnaire routes).
const reviewQuestionnaireNew = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/questionnaires/new',
  component: page(
    () => import('../pages/reviews/builder/QuestionnaireBuilderPage.tsx'),
    'QuestionnaireNewPage',
    'work',
  ),
});
const reviewQuestionnaireEdit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/questionnaires/$id/edit',
  component: page(
    () => import('../pages/reviews/builder/QuestionnaireBuilderPage.tsx'),
    'QuestionnaireEditPage',
    'work',
  ),
});
const reviewPublished = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reviews/published/$id',
  component: page(() => import('../pages/reviews/PublishedReviewPage.tsx'), 'PublishedReviewPage'),
});

// Administration (issue 4, item 8): the API decides who may use each page.
const admin = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin',
  component: page(() => import('../pages/admin/AdminHomePage.tsx'), 'AdminHomePage', 'work'),
});
const adminUsers = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users',
  component: page(() => import('../pages/admin/UsersPage.tsx'), 'UsersPage', 'work'),
});
const adminUser = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/users/$id',
  component: page(() => import('../pages/admin/UserPage.tsx'), 'UserPage', 'work'),
});
const adminTokens = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/tokens',
  component: page(() => import('../pages/admin/TokensAdminPage.tsx'), 'TokensAdminPage', 'work'),
});
const adminPlaces = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/places',
  component: page(() => import('../pages/admin/PlacesAdminPage.tsx'), 'PlacesAdminPage', 'work'),
});
const adminIndicators = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/indicators',
  component: page(() => import('../pages/admin/IndicatorsAdminPage.tsx'), 'IndicatorsAdminPage', 'work'),
});
const adminIndicator = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/indicators/$code',
  component: page(() => import('../pages/admin/IndicatorRulesPage.tsx'), 'IndicatorRulesPage', 'work'),
});
const adminAudit = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/audit',
  component: page(() => import('../pages/admin/AuditPage.tsx'), 'AuditPage', 'work'),
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
  safetyProfile,
  safety,
  safetyMonitor,
  safetyMonitorEdit,
  safetyAssessments,
  safetyAssessment,
  safetyAssessmentProfile,
  knowledge,
  knowledgeNew,
  knowledgeItem,
  knowledgeEdit,
  network,
  workshops,
  workshop,
  networkPartner,
  networkCentre,
  networkWorkshop,
  signIn,
  accept,
  inbox,
  entry,
  offlinePage,
  importPage,
  reviews,
  reviewCycleNew,
  reviewCycle,
  reviewBoardReport,
  reviewSubmission,
  reviewPublished,
  reviewQuestionnaireNew,
  reviewQuestionnaireEdit,
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
if (import.meta.env.DEV && typeof window !== 'undefined') putLanguageInAddress();

// A page that fails while drawing shows a message in the reader's language inside the layout (header kept).
// The routes have no language: `rewrite` takes the address's prefix off (`/en/indicators` is
// `/indicators`; an unknown prefix stays, and is not found) and puts the page's language on every
// address the router writes (lang-path.ts).
/**
 * The app's router over `history`: the browser's address bar, or, when the server renders a page
 * (src/entry-server.tsx), a memory history holding the page's address.
 */
export function createAppRouter(history?: RouterHistory) {
  const r = createRouter({
    routeTree,
    ...(history ? { history } : {}),
    rewrite: {
      input: ({ url }) => {
        const { lang, rest } = splitLanguage(url.pathname);
        if (!lang) return undefined;
        url.pathname = rest;
        return url;
      },
      output: ({ url }) => {
        url.pathname = withLanguage(pageLanguage(r.history.location.pathname), url.pathname);
        return url;
      },
    },
    defaultPreload: 'intent',
    scrollRestoration: true,
    defaultErrorComponent: PageError,
  });
  return r;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
