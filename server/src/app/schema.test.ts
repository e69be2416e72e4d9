import { operationPermissions } from './schema';
import { buildAppSchema } from './schema';
import { PUBLIC_OPERATIONS } from './resolvers';
import { PERMISSION_NAMES } from '@gatehouse/shared';

describe('operation permissions', () => {
  beforeAll(() => buildAppSchema());

  // A diff here is a permission change: review it, then update the snapshot.
  it('matches the reviewed snapshot', () => {
    expect(operationPermissions()).toMatchSnapshot();
  });

  it('uses only permissions from the catalogue', () => {
    for (const { operation, permissions } of operationPermissions()) {
      for (const permission of permissions ?? []) {
        expect({ operation, permission, known: (PERMISSION_NAMES as readonly string[]).includes(permission) }).toEqual({
          operation,
          permission,
          known: true,
        });
      }
    }
  });

  it('leaves only the listed operations public', () => {
    const publicOnes = operationPermissions()
      .filter((op) => op.permissions === null)
      .map((op) => op.operation);
    expect(publicOnes.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
  });
});
