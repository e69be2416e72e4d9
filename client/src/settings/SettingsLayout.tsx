import { Suspense, useEffect } from 'react';
import { Navigate, NavLink, Outlet } from 'react-router-dom';
import { useViewer } from '../app/viewer';
import { Spinner } from '../ui/Spinner';
import { PasskeysSection } from './profile/components/PasskeysSection';
import { TwoFactorSection } from './profile/components/TwoFactorSection';
import { settingsPath, visibleTabs, type SettingsTab } from './tabs';

export function SettingsLayout() {
  const viewer = useViewer();
  const tabs = visibleTabs(viewer.permissions);
  if (viewer.twoFactorSetupRequired) return <TwoFactorRequired organizationName={viewer.organization.name} />;
  return (
    <div className="settings">
      <h1 className="settings-title">Settings</h1>
      <nav className="tab-bar" aria-label="Settings">
        {tabs.map((tab) => (
          <NavLink key={tab.path} to={settingsPath(tab)} className="tab">
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Suspense
        fallback={
          <div className="page-loading">
            <Spinner label="Loading" />
          </div>
        }
      >
        <Outlet />
      </Suspense>
    </div>
  );
}

/** Renders a tab's page, or sends the viewer to a tab they may see. */
export function SettingsTabRoute({ tab }: { tab: SettingsTab }) {
  const viewer = useViewer();
  const allowed = viewer.permissions.includes(tab.permission);
  useEffect(() => {
    if (allowed) document.title = `${tab.label} · Settings · Gatehouse`;
  }, [allowed, tab.label]);
  if (!allowed) return <FirstTabRedirect />;
  const Page = tab.page;
  return <Page />;
}

export function FirstTabRedirect() {
  const [first] = visibleTabs(useViewer().permissions);
  if (!first) return <p className="empty-state">There are no settings you can see in this organization.</p>;
  return <Navigate to={settingsPath(first)} replace />;
}

/** Until the member sets up 2FA that their organization requires, that is all they can do. */
function TwoFactorRequired({ organizationName }: { organizationName: string }) {
  return (
    <div className="settings">
      <h1 className="settings-title">Set up two-factor authentication</h1>
      <p className="settings-lead">
        {organizationName} requires two-factor authentication. Set it up to continue; it takes a minute with an
        authenticator app on your phone, or add a passkey.
      </p>
      <TwoFactorSection />
      <PasskeysSection />
    </div>
  );
}
