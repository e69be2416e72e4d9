import { PasskeyEntity } from '../passkey/passkey.entity';
import { SocialIdentityEntity } from '../social/social-identity.entity';
import { UserEntity } from '../user/user.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { MembershipEntity } from '../organization/membership.entity';
import { RoleEntity } from '../role/role.entity';
import { SessionEntity } from '../auth/session.entity';
import { AuditEventEntity } from '../audit-log/audit-event.entity';
import { ApiKeyEntity } from '../api-key/api-key.entity';
import { GroupEntity, GroupMemberEntity } from '../group/group.entity';
import { WorkspaceEntity, WorkspaceMemberEntity } from '../workspace/workspace.entity';
import { InvitationEntity } from '../invitation/invitation.entity';
import { ServiceAccountEntity } from '../service-account/service-account.entity';
import {
  IdentityProviderDomainEntity,
  IdentityProviderEntity,
  IdentityProviderMappingEntity,
  UserIdentityEntity,
} from '../identity-provider/identity-provider.entity';
import { OrganizationDomainEntity } from '../domain/domain.entity';
import { AuditStreamEntity } from '../audit-stream/audit-stream.entity';
import { ScimGroupEntity, ScimMemberEntity, ScimTokenEntity } from '../scim/scim.entity';

export const ENTITIES = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  RoleEntity,
  SessionEntity,
  AuditEventEntity,
  ApiKeyEntity,
  GroupEntity,
  GroupMemberEntity,
  WorkspaceEntity,
  WorkspaceMemberEntity,
  InvitationEntity,
  ServiceAccountEntity,
  IdentityProviderEntity,
  IdentityProviderDomainEntity,
  IdentityProviderMappingEntity,
  UserIdentityEntity,
  OrganizationDomainEntity,
  AuditStreamEntity,
  PasskeyEntity,
  SocialIdentityEntity,
  ScimTokenEntity,
  ScimMemberEntity,
  ScimGroupEntity,
];
