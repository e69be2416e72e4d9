import type { UserEntity } from '../user/user.entity';
import type { MembershipEntity } from '../organization/membership.entity';

/** Who is calling, in which organization, and what they may do there. */
export interface AuthState {
  user: UserEntity;
  membership: MembershipEntity;
  organizationId: string;
  /** Tenant permissions, already narrowed to the API key's scopes. */
  permissions: ReadonlySet<string>;
  /** The API key's scopes, which also narrow workspace permissions; null when unrestricted. */
  scopes: ReadonlySet<string> | null;
  sessionId: string | null;
  /** A browser session whose organization requires 2FA the user has not set up: only setting it up is allowed. */
  twoFactorSetupRequired: boolean;
  apiKeyId: string | null;
}

/** An identity provider calling the SCIM endpoints with its organization's SCIM token (not a member). */
export interface ScimCaller {
  tokenId: string;
  tokenName: string;
  organizationId: string;
}
