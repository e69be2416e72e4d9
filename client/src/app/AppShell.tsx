import { Suspense } from 'react';
import { Outlet } from 'react-router-dom';
import { Logo } from '../ui/Logo';
import { Spinner } from '../ui/Spinner';
import { AccountMenu } from './AccountMenu';
import { OrganizationSwitcher } from './OrganizationSwitcher';

export function AppShell() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-inner">
          <Logo />
          <span className="header-divider" aria-hidden="true" />
          <OrganizationSwitcher />
          <div className="header-spacer" />
          <AccountMenu />
        </div>
      </header>
      <main className="app-main">
        {/* The settings layout is a lazy chunk: the header stays while it loads. */}
        <Suspense
          fallback={
            <div className="page-loading">
              <Spinner label="Loading" />
            </div>
          }
        >
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
