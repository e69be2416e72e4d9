import { SocialResolver } from '../social/social.resolver';
import { ApiKeyResolver } from '../api-key/api-key.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { OrganizationResolver } from '../organization/organization.resolver';
import { RoleResolver } from '../role/role.resolver';
import { UserResolver } from '../user/user.resolver';
import { MemberResolver } from '../member/member.resolver';
import { InvitationResolver } from '../invitation/invitation.resolver';
import { ServiceAccountResolver } from '../service-account/service-account.resolver';
import { GroupResolver } from '../group/group.resolver';
import { WorkspaceResolver } from '../workspace/workspace.resolver';
import { AuditLogResolver } from '../audit-log/audit-log.resolver';
import { SettingsResolver } from '../settings/settings.resolver';
import { PasswordResetResolver } from '../password-reset/password-reset.resolver';
import { SessionResolver } from '../auth/session.resolver';
import { TwoFactorResolver } from '../two-factor/two-factor.resolver';
import { IdentityProviderResolver } from '../identity-provider/identity-provider.resolver';
import { DomainResolver } from '../domain/domain.resolver';
import { AuditStreamResolver } from '../audit-stream/audit-stream.resolver';
import { PasskeyResolver } from '../passkey/passkey.resolver';
import { ScimGroupResolver, ScimMemberResolver, ScimResolver } from '../scim/scim.resolver';
import { AccessResolver } from '../access/access.resolver';
import { AccessReviewResolver } from '../access/access-review.resolver';
import { AccessRequestResolver } from '../access-request/access-request.resolver';

export const RESOLVERS = [
  AccessResolver,
  AccessReviewResolver,
  AccessRequestResolver,
  AuthResolver,
  OrganizationResolver,
  UserResolver,
  RoleResolver,
  ApiKeyResolver,
  MemberResolver,
  InvitationResolver,
  ServiceAccountResolver,
  GroupResolver,
  WorkspaceResolver,
  AuditLogResolver,
  SettingsResolver,
  PasswordResetResolver,
  SessionResolver,
  TwoFactorResolver,
  IdentityProviderResolver,
  DomainResolver,
  AuditStreamResolver,
  PasskeyResolver,
  SocialResolver,
  ScimResolver,
  ScimMemberResolver,
  ScimGroupResolver,
] as const;

/**
 * The operations anyone may call without signing in. Every other query and mutation must
 * declare `@Authorized(...)`; buildAppSchema refuses to start otherwise.
 */
export const PUBLIC_OPERATIONS: readonly string[] = [
  'viewer',
  'signUp',
  'signIn',
  'invitationPreview',
  'acceptInvitation',
  'requestPasswordReset',
  'resetPassword',
  'passkeySignInOptions',
  'finishPasskeySignIn',
  'signInMethods',
  'pendingProviderSignUp',
  'signUpWithProvider',
];
