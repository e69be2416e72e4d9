import { Foundation1732250000000 } from './1732250000000-foundation';
import { OutboundEmail1732250100000 } from './1732250100000-outbound-email';
import { ApiKeys1732250200000 } from './1732250200000-api-keys';
import { Access1732250500000 } from './1732250500000-access';
import { AuditLogQuery1732250600000 } from './1732250600000-audit-log-query';
import { OrganizationSettings1732250700000 } from './1732250700000-organization-settings';
import { PasswordReset1732250800000 } from './1732250800000-password-reset';
import { SecurityLog1732250900000 } from './1732250900000-security-log';
import { TwoFactor1732251000000 } from './1732251000000-two-factor';
import { RequireTwoFactor1732251100000 } from './1732251100000-require-two-factor';
import { OrganizationLogo1732251200000 } from './1732251200000-organization-logo';
import { IdentityProviders1732251300000 } from './1732251300000-identity-providers';
import { ThrottleDelay1732251600000 } from './1732251600000-throttle-delay';
import { EraseSentEmailBodies1732251700000 } from './1732251700000-erase-sent-email-bodies';
import { AccessChangeTriggers1732251400000 } from './1732251400000-access-change-triggers';
import { AuditChainKey1732251500000 } from './1732251500000-audit-chain-key';
import { VerifiedDomains1732251800000 } from './1732251800000-verified-domains';
import { AuditStreams1732252100000 } from './1732252100000-audit-streams';
import { Passkeys1732252200000 } from './1732252200000-passkeys';
import { ApiKeyGuardrails1732252500000 } from './1732252500000-api-key-guardrails';
import { SocialIdentities1732252000000 } from './1732252000000-social-identities';
import { Scim1732252400000 } from './1732252400000-scim';
import { AuditStreamJobs1732252700000 } from './1732252700000-audit-stream-jobs';
import { TimeBoundGrants1732252600000 } from './1732252600000-time-bound-grants';
import { AccessRequests1732252610000 } from './1732252610000-access-requests';
import { AccessReviews1732252800000 } from './1732252800000-access-reviews';

/** Every migration, in order; listed explicitly so the compiled server and tests load the same set. */
import { SessionAccessTriggers1732252300000 } from './1732252300000-session-access-triggers';
import { SearchIndexes1732252310000 } from './1732252310000-search-indexes';
export const MIGRATIONS = [
  Foundation1732250000000,
  OutboundEmail1732250100000,
  ApiKeys1732250200000,
  Access1732250500000,
  AuditLogQuery1732250600000,
  OrganizationSettings1732250700000,
  PasswordReset1732250800000,
  SecurityLog1732250900000,
  TwoFactor1732251000000,
  RequireTwoFactor1732251100000,
  OrganizationLogo1732251200000,
  IdentityProviders1732251300000,
  ThrottleDelay1732251600000,
  EraseSentEmailBodies1732251700000,
  AccessChangeTriggers1732251400000,
  AuditChainKey1732251500000,
  VerifiedDomains1732251800000,
  AuditStreams1732252100000,
  Passkeys1732252200000,
  SocialIdentities1732252000000,
  ApiKeyGuardrails1732252500000,
  Scim1732252400000,
  AuditStreamJobs1732252700000,
  SessionAccessTriggers1732252300000,
  SearchIndexes1732252310000,
  TimeBoundGrants1732252600000,
  AccessRequests1732252610000,
  AccessReviews1732252800000,
];
