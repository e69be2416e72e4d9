import { BUILT_IN_ROLES, PermissionName } from '@gatehouse/shared';
import type { RoleEntity } from './role.entity';

const builtInPermissions = new Map(BUILT_IN_ROLES.map((role) => [role.id as string, role.permissions]));

/** Built-in roles take their permissions from the catalogue in code, custom roles from their row. */
export function permissionsOfRole(role: Pick<RoleEntity, 'id' | 'builtIn' | 'permissions'>): PermissionName[] {
  if (role.builtIn) return builtInPermissions.get(role.id) ?? [];
  return role.permissions as PermissionName[];
}

export function describeBuiltInRole(id: string): string {
  return BUILT_IN_ROLES.find((role) => role.id === id)?.description ?? '';
}
