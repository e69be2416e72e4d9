import { Authorized, Query, Resolver } from 'type-graphql';
import { PERMISSION_CATALOG } from '@gatehouse/shared';
import { Permission } from './role.types';

@Resolver()
export class RoleResolver {
  @Authorized()
  @Query(() => [Permission], { description: 'Every permission there is, with what it allows' })
  permissionCatalog(): Permission[] {
    return PERMISSION_CATALOG.map((entry) => Object.assign(new Permission(), entry));
  }
}
