import { lazy, Suspense, useEffect } from 'react';
import { SkeletonLines } from '../components/Skeleton.tsx';
import { JourneysPage } from '../pages/JourneysPage.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { navigateTo, usePath } from './use-route.ts';
import { useSession } from './session.ts';

// Pages beyond the journeys list load when first opened, so the first visit fetches less.
const EditorPage = lazy(() => import('../pages/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const ReportPage = lazy(() => import('../pages/report/ReportPage.tsx').then((m) => ({ default: m.ReportPage })));
const CustomersPage = lazy(() => import('../pages/customers/CustomersPage.tsx').then((m) => ({ default: m.CustomersPage })));
const SegmentsPage = lazy(() => import('../pages/segments/SegmentsPage.tsx').then((m) => ({ default: m.SegmentsPage })));
const SettingsPage = lazy(() => import('../pages/settings/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })));

/** Signed out: the sign-in page. Signed in: the navigation and the page for the path. */
export function App() {
  const { status, workspace, email, load, signOut } = useSession();
  const path = usePath();
  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'loading') return <p className="wm-loading">Loading…</p>;
  if (status === 'signed-out' || !workspace) return <SignInPage />;
  const editor = /^\/journeys\/([^/]+)(?:\/versions\/(\d+))?$/.exec(path);
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  const report = /^\/journeys\/([^/]+)\/report$/.exec(path);
  const segment = /^\/segments\/([^/]+)$/.exec(path);
  const link = (to: string, label: string) => (
    <a href={to} aria-current={path === to || (to !== '/' && path.startsWith(to)) ? 'page' : undefined} onClick={navigateTo(to)}>
      {label}
    </a>
  );
  return (
    <div className="wm-app">
      <header className="wm-top">
        <strong className="wm-brand">Waymark</strong>
        <nav>
          {link('/', 'Journeys')}
          {link('/customers', 'Customers')}
          {link('/segments', 'Segments')}
          {link('/settings', 'Settings')}
        </nav>
        <span className="wm-who">
          {email} · {workspace.name} · {workspace.role}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main className="wm-main">
        <Suspense fallback={<SkeletonLines lines={6} label="Loading the page" />}>
          {report ? (
            <ReportPage key={path} journeyId={decodeURIComponent(report[1]!)} workspace={workspace} />
          ) : editor ? (
            <EditorPage key={path} journeyId={decodeURIComponent(editor[1]!)} workspace={workspace} version={editor[2] ? Number(editor[2]) : undefined} />
          ) : customer ? (
            <CustomersPage workspace={workspace} customerId={decodeURIComponent(customer[1]!)} />
          ) : path.startsWith('/customers') ? (
            <CustomersPage workspace={workspace} customerId={null} />
          ) : segment ? (
            <SegmentsPage workspace={workspace} segmentId={decodeURIComponent(segment[1]!)} />
          ) : path.startsWith('/segments') ? (
            <SegmentsPage workspace={workspace} segmentId={null} />
          ) : path.startsWith('/settings') ? (
            <SettingsPage workspace={workspace} />
          ) : (
            <JourneysPage workspace={workspace} />
          )}
        </Suspense>
      </main>
    </div>
  );
}
