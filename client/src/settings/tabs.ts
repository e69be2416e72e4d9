import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PermissionName } from '@gatehouse/shared';

export interface SettingsTab {
  label: string;
  /** The URL segment under /settings. */
  path: string;
  /** The tab is shown only to viewers holding this permission (the server still checks everything). */
  permission: PermissionName;
  /** Loaded on first visit, so each tab is its own chunk and the first load stays small. */
  page: LazyExoticComponent<ComponentType>;
}

/** Every settings tab, in display order. A new tab is one entry here plus its folder. */
export const SETTINGS_TABS: readonly SettingsTab[] = [
  {
    label: 'Profile',
    path: 'profile',
    permission: 'profile:read',
    page: lazy(() => import('./profile/ProfilePage')),
  },
  {
    label: 'API Keys',
    path: 'api-keys',
    permission: 'apiKeys:read',
    page: lazy(() => import('./api-keys/ApiKeysPage')),
  },
  {
    label: 'Users',
    path: 'users',
    permission: 'members:read',
    page: lazy(() => import('./users/UsersPage')),
  },
  {
    label: 'Access requests',
    path: 'access-requests',
    permission: 'profile:read',
    page: lazy(() => import('./access-requests/AccessRequestsPage')),
  },
  {
    label: 'Groups',
    path: 'groups',
    permission: 'groups:read',
    page: lazy(() => import('./groups/GroupsPage')),
  },
  {
    label: 'Roles',
    path: 'roles',
    permission: 'roles:read',
    page: lazy(() => import('./roles/RolesPage')),
  },
  {
    label: 'Workspaces',
    path: 'workspaces',
    permission: 'workspaces:read',
    page: lazy(() => import('./workspaces/WorkspacesPage')),
  },
  {
    label: 'General',
    path: 'general',
    permission: 'settings:read',
    page: lazy(() => import('./general/GeneralPage')),
  },
  {
    label: 'AI',
    path: 'ai',
    permission: 'settings:read',
    page: lazy(() => import('./ai/AiPage')),
  },
  {
    label: 'Security',
    path: 'security',
    permission: 'security:manage',
    page: lazy(() => import('./security/SecurityPage')),
  },
  {
    label: 'Audit Logs',
    path: 'audit-logs',
    permission: 'auditLog:read',
    page: lazy(() => import('./audit-logs/AuditLogsPage')),
  },
];

export function visibleTabs(permissions: readonly string[]): SettingsTab[] {
  return SETTINGS_TABS.filter((tab) => permissions.includes(tab.permission));
}

export function settingsPath(tab: SettingsTab): string {
  return `/settings/${tab.path}`;
}
