import { BUILT_IN_ROLES, PERMISSION_CATALOG, PERMISSION_NAMES, isPermissionName } from './permissions';

describe('permission catalogue', () => {
  it('names every permission area:action, once, with a description', () => {
    expect(new Set(PERMISSION_NAMES).size).toBe(PERMISSION_NAMES.length);
    for (const permission of PERMISSION_CATALOG) {
      expect(permission.name).toMatch(/^[a-z][a-zA-Z]*(:[a-z][a-zA-Z]*)+$/);
      expect(permission.description.length).toBeGreaterThan(10);
    }
  });

  it('builds roles only from catalogue permissions of their own scope', () => {
    const scopeOf = new Map(PERMISSION_CATALOG.map((p) => [p.name as string, p.scope]));
    for (const role of BUILT_IN_ROLES) {
      for (const permission of role.permissions) {
        expect(isPermissionName(permission)).toBe(true);
        expect(scopeOf.get(permission)).toBe(role.scope);
      }
    }
  });

  it('gives Admin every tenant permission and orders roles by strength', () => {
    const admin = BUILT_IN_ROLES.find((r) => r.id === 'admin')!;
    expect(admin.permissions).toEqual(PERMISSION_CATALOG.filter((p) => p.scope === 'TENANT').map((p) => p.name));
    const builder = BUILT_IN_ROLES.find((r) => r.id === 'builder')!;
    const consumer = BUILT_IN_ROLES.find((r) => r.id === 'consumer')!;
    expect(builder.permissions.every((p) => admin.permissions.includes(p))).toBe(true);
    expect(consumer.permissions.every((p) => builder.permissions.includes(p))).toBe(true);
    expect(consumer.permissions).not.toContain('members:manage');
  });
});
