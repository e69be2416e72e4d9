import { lazy, Suspense, useEffect, useRef } from 'react';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useViewer } from '../app/viewer';
import { Spinner } from '../ui/Spinner';
import { settingsPath, visibleTabs, type SettingsTab } from './tabs';

// Loaded when needed only: it brings the QR-code encoder, which the first load can do without.
const TwoFactorSection = lazy(() =>
  import('./profile/components/TwoFactorSection').then((module) => ({ default: module.TwoFactorSection })),
);
const PasskeysSection = lazy(() =>
  import('./profile/components/PasskeysSection').then((module) => ({ default: module.PasskeysSection })),
);

export function SettingsLayout() {
  const viewer = useViewer();
  const tabs = visibleTabs(viewer.permissions);
  if (viewer.twoFactorSetupRequired) return <TwoFactorRequired organizationName={viewer.organization.name} />;
  return (
    <div className="settings">
      <h1 className="settings-title">Settings</h1>
      <TabBar tabs={tabs} />
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

/**
 * The tabs in one row that scrolls sideways where they do not fit (a phone): the side with more
 * tabs fades out, and the current tab is scrolled into view.
 */
function TabBar({ tabs }: { tabs: readonly SettingsTab[] }) {
  const bar = useRef<HTMLElement>(null);
  const { pathname } = useLocation();

  useEffect(() => {
    const nav = bar.current;
    if (!nav) return;
    const mark = () => {
      nav.toggleAttribute('data-more-start', nav.scrollLeft > 1);
      nav.toggleAttribute('data-more-end', nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1);
    };
    nav.querySelector('[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'center' });
    mark();
    nav.addEventListener('scroll', mark, { passive: true });
    window.addEventListener('resize', mark);
    return () => {
      nav.removeEventListener('scroll', mark);
      window.removeEventListener('resize', mark);
    };
  }, [pathname]);

  return (
    <nav ref={bar} className="tab-bar" aria-label="Settings">
      {tabs.map((tab) => (
        <NavLink key={tab.path} to={settingsPath(tab)} className="tab">
          {tab.label}
        </NavLink>
      ))}
    </nav>
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
      <Suspense fallback={<Spinner label="Loading" />}>
        <TwoFactorSection />
        <PasskeysSection />
      </Suspense>
    </div>
  );
}
