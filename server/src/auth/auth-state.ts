import type { UserEntity } from '../user/user.entity';
import type { MembershipEntity } from '../organization/membership.entity';

/** Who is calling, in which organization, and what they may do there. */
export interface AuthState {
  user: UserEntity;
  membership: MembershipEntity;
  organizationId: string;
  permissions: ReadonlySet<string>;
  sessionId: string | null;
  apiKeyId: string | null;
}
