import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Audience } from './lib/authRedirect'
import { homeOf, loginLocation, passwordChangeLocation } from './lib/authRedirect'
import { loadMe } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title. */
    title?: string
    /** Pages that need a session of this kind; others are public. */
    audience?: Audience
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: () => import('./layouts/PortalLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./pages/portal/HomePage.vue'), meta: { title: 'nav.home' } },
      { path: 'items', name: 'items', component: () => import('./pages/catalogue/ItemListPage.vue'), meta: { title: 'catalogue.title' } },
      {
        path: 'items/:code',
        name: 'guide',
        component: () => import('./pages/catalogue/ItemGuidePage.vue'),
        props: true,
        meta: { title: 'nav.items' },
      },
      { path: 'progress', name: 'progress', component: () => import('./pages/cases/ProgressPage.vue'), meta: { title: 'cases.progressTitle' } },
      { path: 'halls', name: 'halls', component: () => import('./pages/portal/HallsPage.vue'), meta: { title: 'openingHours.title' } },
      { path: 'staff', name: 'staff', component: () => import('./pages/organisation/StaffBoardPage.vue'), meta: { title: 'organisation.staffTitle' } },
      { path: 'login', name: 'login', component: () => import('./pages/auth/LoginPage.vue'), meta: { title: 'auth.loginTitle' } },
      { path: 'register', name: 'register', component: () => import('./pages/auth/RegisterPage.vue'), meta: { title: 'registration.title' } },
      {
        path: 'forgot-password',
        name: 'forgot-password',
        component: () => import('./pages/auth/ForgotPasswordPage.vue'),
        meta: { title: 'account.forgotTitle' },
      },
      {
        path: 'developers/api',
        name: 'api-docs',
        component: () => import('./pages/developers/ApiDocsPage.vue'),
        meta: { title: 'apiDocs.title' },
      },
      { path: 'terms', name: 'terms', component: () => import('./pages/portal/LegalPage.vue'), props: { doc: 'terms' }, meta: { title: 'legal.terms.title' } },
      { path: 'privacy', name: 'privacy', component: () => import('./pages/portal/LegalPage.vue'), props: { doc: 'privacy' }, meta: { title: 'legal.privacy.title' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./pages/portal/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
    ],
  },
  {
    path: '/workbench',
    component: () => import('./layouts/WorkbenchLayout.vue'),
    meta: { audience: 'staff' },
    children: [
      { path: '', name: 'workbench', component: () => import('./pages/workbench/WorkbenchHome.vue'), meta: { title: 'auth.workbenchTitle', audience: 'staff' } },
      { path: 'account', name: 'staff-account', component: () => import('./pages/account/AccountPage.vue'), meta: { title: 'account.title', audience: 'staff' } },
      {
        path: 'inbox',
        name: 'inbox',
        component: () => import('./pages/workbench/CaseListPage.vue'),
        props: { mode: 'inbox' },
        meta: { title: 'workbench.inbox.title', audience: 'staff' },
      },
      {
        path: 'acceptance',
        name: 'acceptance',
        component: () => import('./pages/workbench/CaseListPage.vue'),
        props: { mode: 'acceptance' },
        meta: { title: 'workbench.acceptance.title', audience: 'staff' },
      },
      {
        path: 'acceptance/new',
        name: 'new-case',
        component: () => import('./pages/workbench/NewCasePage.vue'),
        meta: { title: 'newCase.title', audience: 'staff' },
      },
      {
        path: 'issue',
        name: 'issue',
        component: () => import('./pages/workbench/CaseListPage.vue'),
        props: { mode: 'issue' },
        meta: { title: 'workbench.issue.title', audience: 'staff' },
      },
      {
        path: 'admin/items',
        name: 'admin-items',
        component: () => import('./pages/catalogue/ItemAdminListPage.vue'),
        meta: { title: 'itemAdmin.title', audience: 'staff' },
      },
      {
        // `new` opens a blank item; implementation codes never spell it.
        path: 'admin/items/:code',
        name: 'admin-item',
        component: () => import('./pages/catalogue/ItemEditorPage.vue'),
        props: true,
        meta: { title: 'itemAdmin.editorTitle', audience: 'staff' },
      },
      {
        path: 'admin/organisation',
        name: 'admin-organisation',
        component: () => import('./pages/admin/OrganisationPage.vue'),
        meta: { title: 'orgAdmin.title', audience: 'staff' },
      },
      {
        path: 'admin/calendar',
        name: 'admin-calendar',
        component: () => import('./pages/admin/CalendarPage.vue'),
        meta: { title: 'calendarAdmin.title', audience: 'staff' },
      },
      {
        path: 'admin/audit',
        name: 'admin-audit',
        component: () => import('./pages/admin/AuditPage.vue'),
        meta: { title: 'audit.title', audience: 'staff' },
      },
      {
        path: 'cases/:number',
        name: 'staff-case',
        component: () => import('./pages/workbench/CaseDetailPage.vue'),
        props: true,
        meta: { title: 'caseView.title', audience: 'staff' },
      },
    ],
  },
  {
    path: '/my',
    component: () => import('./layouts/AccountLayout.vue'),
    children: [
      { path: '', name: 'my', component: () => import('./pages/my/MyCasesPage.vue'), meta: { title: 'auth.myTitle', audience: 'applicant' } },
      { path: 'account', name: 'my-account', component: () => import('./pages/account/AccountPage.vue'), meta: { title: 'account.title', audience: 'applicant' } },
      {
        path: 'cases/:number',
        name: 'my-case',
        component: () => import('./pages/my/MyCasePage.vue'),
        props: true,
        meta: { title: 'caseView.title', audience: 'applicant' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => {
    if (saved) return saved
    // Within a page, a hash names a part of it that the page opens and scrolls to itself once it
    // is there (the API reference); the router does not scroll then.
    if (to.hash && to.path === from.path) return false
    return { top: 0 }
  },
})

// Pages for staff or applicants ask the server who is logged in before they open.
router.beforeEach(async (to) => {
  const audience = to.meta.audience
  if (!audience) return true
  let who
  try {
    who = await loadMe()
  } catch {
    return true // the server is unreachable: the page shows the problem and a retry
  }
  if (!who) return loginLocation(to.fullPath)
  if (who.kind !== audience) return homeOf(who.kind)
  return passwordChangeLocation(who.kind === 'staff' && who.must_change_password, to.name) ?? true
})
