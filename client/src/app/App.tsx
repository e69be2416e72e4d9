import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { useQuery } from '@apollo/client/react';
import { Navigate, Outlet, Route, Routes, useLocation, type Location } from 'react-router-dom';
import { ViewerDocument } from '@gatehouse/shared/generated';
import { SETTINGS_TABS } from '../settings/tabs';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { AppShell } from './AppShell';
import { applyTheme } from './theme';
import { ViewerContext, type Viewer } from './viewer';

const HOME = '/settings';

/** A named export as a lazy component: its module becomes a chunk of its own, loaded on first render. */
function lazyExport<Module, Name extends keyof Module>(load: () => Promise<Module>, name: Name) {
  return lazy(() => load().then((module) => ({ default: module[name] as Module[Name] & ComponentType<any> })));
}

// A visitor loads only the page they open: the signed-out pages and the settings shell are
// chunks of their own, so neither carries the other (bench/bundle-size.mjs keeps this measured).
const loadSettings = () => import('../settings/SettingsLayout');
const SettingsLayout = lazyExport(loadSettings, 'SettingsLayout');
const FirstTabRedirect = lazyExport(loadSettings, 'FirstTabRedirect');
const SettingsTabRoute = lazyExport(loadSettings, 'SettingsTabRoute');
const SignInPage = lazyExport(() => import('../auth/SignInPage'), 'SignInPage');
const SignUpPage = lazyExport(() => import('../auth/SignUpPage'), 'SignUpPage');
const ForgotPasswordPage = lazyExport(() => import('../auth/ForgotPasswordPage'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyExport(() => import('../auth/ResetPasswordPage'), 'ResetPasswordPage');
const AcceptInvitationPage = lazyExport(() => import('../auth/AcceptInvitationPage'), 'AcceptInvitationPage');

export function App() {
  const { data, error, refetch } = useQuery(ViewerDocument);
  const viewer = data?.viewer ?? null;
  const theme = viewer?.user.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);

  if (!data) {
    return error ? (
      <div className="page-center">
        <div className="card message-card" role="alert">
          <h1>Gatehouse is unavailable</h1>
          <p>We could not load your session. Check your connection and try again.</p>
          <Button variant="primary" onClick={() => void refetch()}>
            Try again
          </Button>
        </div>
      </div>
    ) : (
      <PageLoading />
    );
  }

  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/" element={<Navigate to={viewer ? HOME : '/signin'} replace />} />
        <Route element={<SignedOutOnly viewer={viewer} />}>
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        </Route>
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invitation" element={<AcceptInvitationPage viewer={viewer} />} />
        <Route path="/settings" element={<SignedInOnly viewer={viewer} />}>
          <Route element={<SettingsLayout />}>
            <Route index element={<FirstTabRedirect />} />
            {SETTINGS_TABS.map((tab) => (
              <Route key={tab.path} path={tab.path} element={<SettingsTabRoute tab={tab} />} />
            ))}
            <Route path="*" element={<FirstTabRedirect />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}

function PageLoading() {
  return (
    <div className="page-center">
      <Spinner label="Loading Gatehouse" />
    </div>
  );
}

interface ReturnState {
  from?: Location;
}

function SignedInOnly({ viewer }: { viewer: Viewer | null }) {
  const location = useLocation();
  if (!viewer) return <Navigate to="/signin" replace state={{ from: location } satisfies ReturnState} />;
  return (
    <ViewerContext.Provider value={viewer}>
      <AppShell />
    </ViewerContext.Provider>
  );
}

/** Auth pages; once signed in (or signed up) the person goes back where they were headed. */
function SignedOutOnly({ viewer }: { viewer: Viewer | null }) {
  const from = (useLocation().state as ReturnState | null)?.from;
  if (viewer) return <Navigate to={from ? `${from.pathname}${from.search}` : HOME} replace />;
  return <Outlet />;
}
