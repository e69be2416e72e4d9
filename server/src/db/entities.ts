import { UserEntity } from '../user/user.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { MembershipEntity } from '../organization/membership.entity';
import { RoleEntity } from '../role/role.entity';
import { SessionEntity } from '../auth/session.entity';
import { AuditEventEntity } from '../audit-log/audit-event.entity';
import { ApiKeyEntity } from '../api-key/api-key.entity';

export const ENTITIES = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  RoleEntity,
  SessionEntity,
  AuditEventEntity,
  ApiKeyEntity,
];
