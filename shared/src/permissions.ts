/**
 * The permission catalogue: the only list of permissions. The server's authChecker, the
 * built-in roles, API-key scopes and the settings UI all read it from here.
 */
export type PermissionScope = 'TENANT' | 'WORKSPACE';

export interface PermissionDefinition {
  name: string;
  description: string;
  scope: PermissionScope;
}

export const PERMISSION_CATALOG = [
  { name: 'profile:read', description: 'See your own profile, sessions and organizations', scope: 'TENANT' },
  { name: 'profile:update', description: 'Change your own profile and password', scope: 'TENANT' },
  { name: 'organizations:create', description: 'Create new organizations', scope: 'TENANT' },
  { name: 'apiKeys:read', description: 'See your own API keys', scope: 'TENANT' },
  { name: 'apiKeys:manage', description: 'Create, rotate, revoke and delete your own API keys', scope: 'TENANT' },
  {
    name: 'keys:verify',
    description: "Check other callers' API keys for your own services (POST /api/keys/verify, service accounts)",
    scope: 'TENANT',
  },
  { name: 'members:read', description: 'See the members of the organization', scope: 'TENANT' },
  { name: 'members:manage', description: 'Invite, deactivate, remove members and change their role', scope: 'TENANT' },
  { name: 'serviceAccounts:read', description: 'See service accounts', scope: 'TENANT' },
  {
    name: 'serviceAccounts:manage',
    description: 'Create, change and delete service accounts and their keys',
    scope: 'TENANT',
  },
  { name: 'groups:read', description: 'See groups and their members', scope: 'TENANT' },
  { name: 'groups:manage', description: 'Create, change and delete groups and their members', scope: 'TENANT' },
  { name: 'roles:read', description: 'See roles and their permissions', scope: 'TENANT' },
  { name: 'roles:manage', description: 'Create, change and delete custom roles', scope: 'TENANT' },
  { name: 'workspaces:read', description: 'See the workspaces where you hold a role', scope: 'TENANT' },
  { name: 'workspaces:create', description: 'Create workspaces', scope: 'TENANT' },
  { name: 'settings:read', description: 'See the organization settings', scope: 'TENANT' },
  { name: 'settings:manage', description: 'Change the General and AI settings', scope: 'TENANT' },
  { name: 'security:manage', description: 'Change security settings and identity providers', scope: 'TENANT' },
  { name: 'auditLog:read', description: 'Read and export the audit log', scope: 'TENANT' },
  { name: 'workspace:read', description: 'See a workspace and its members', scope: 'WORKSPACE' },
  { name: 'workspace:use', description: 'Work with the contents of a workspace', scope: 'WORKSPACE' },
  { name: 'workspace:update', description: 'Rename and describe a workspace', scope: 'WORKSPACE' },
  { name: 'workspace:delete', description: 'Delete a workspace', scope: 'WORKSPACE' },
  { name: 'workspace:members:manage', description: "Add, change and remove a workspace's members", scope: 'WORKSPACE' },
] as const satisfies readonly PermissionDefinition[];

export type PermissionName = (typeof PERMISSION_CATALOG)[number]['name'];

export const PERMISSION_NAMES: readonly PermissionName[] = PERMISSION_CATALOG.map((p) => p.name);

/** Scope value of an API key that grants everything its owner holds. */
export const ALL_SCOPES = '*';

export function isWorkspacePermission(name: string): boolean {
  return PERMISSION_CATALOG.some((p) => p.name === name && p.scope === 'WORKSPACE');
}

export function isPermissionName(name: string): name is PermissionName {
  return (PERMISSION_NAMES as readonly string[]).includes(name);
}

const byScope = (scope: PermissionScope): PermissionName[] =>
  PERMISSION_CATALOG.filter((p) => p.scope === scope).map((p) => p.name);

const SELF_SERVICE: PermissionName[] = [
  'profile:read',
  'profile:update',
  'apiKeys:read',
  'apiKeys:manage',
  'workspaces:read',
];
const READ_DIRECTORY: PermissionName[] = [
  'members:read',
  'groups:read',
  'roles:read',
  'serviceAccounts:read',
  'settings:read',
];

export type BuiltInRoleId = 'admin' | 'builder' | 'consumer' | 'owner' | 'contributor' | 'viewer';

export interface BuiltInRole {
  id: BuiltInRoleId;
  name: string;
  description: string;
  scope: PermissionScope;
  /** Higher is stronger; used to pick the effective role among direct and group roles. */
  rank: number;
  permissions: PermissionName[];
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    id: 'admin',
    name: 'Admin',
    description: 'Everything in the organization, and Owner of every workspace',
    scope: 'TENANT',
    rank: 300,
    permissions: byScope('TENANT'),
  },
  {
    id: 'builder',
    name: 'Builder',
    description: 'Creates workspaces and works inside the ones where it has a role',
    scope: 'TENANT',
    rank: 200,
    permissions: [...SELF_SERVICE, ...READ_DIRECTORY, 'organizations:create', 'workspaces:create'],
  },
  {
    id: 'consumer',
    name: 'Consumer',
    description: 'Uses what it is given; read-mostly',
    scope: 'TENANT',
    rank: 100,
    permissions: [...SELF_SERVICE, 'organizations:create', 'members:read', 'groups:read'],
  },
  {
    id: 'owner',
    name: 'Owner',
    description: 'Manages the workspace and its members',
    scope: 'WORKSPACE',
    rank: 300,
    permissions: byScope('WORKSPACE'),
  },
  {
    id: 'contributor',
    name: 'Contributor',
    description: 'Works with the contents of the workspace',
    scope: 'WORKSPACE',
    rank: 200,
    permissions: ['workspace:read', 'workspace:use'],
  },
  {
    id: 'viewer',
    name: 'Viewer',
    description: 'Sees the workspace',
    scope: 'WORKSPACE',
    rank: 100,
    permissions: ['workspace:read'],
  },
];
