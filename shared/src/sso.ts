/**
 * Why a single sign-on attempt ended without a session. The server redirects to the sign-in page
 * with one of these reasons (never free text, so a link cannot put words in the page), and the
 * page shows its message.
 */
export const SSO_FAILURES = {
  no_provider:
    "Single sign-on is not set up for that email domain. Sign in with your password, or ask your admin for your organization's sign-in link.",
  provider_unavailable: 'This single sign-on link no longer works: the identity provider was removed or turned off.',
  expired: 'The sign-in took too long or was started in another browser. Please try again.',
  denied: 'Your identity provider did not sign you in.',
  rejected:
    "Your identity provider's answer could not be verified, so you were not signed in. Ask your admin to check the provider's settings.",
  unreachable: 'Your identity provider could not be reached. Please try again in a moment.',
  email_missing: 'Your identity provider did not share a verified email address, which Gatehouse needs.',
  account_exists:
    'An account with this email already exists and signs in with a password. Sign in with your password instead.',
  no_access: "You are not in a group that your organization's single sign-on gives access to. Ask your admin.",
  inactive: 'Your membership in this organization is deactivated. Ask your admin.',
  unauthorized_domain: "Your email domain is not one of the organization's authorized domains.",
  unverified_domain:
    'Your identity provider vouched for an email address at a domain this organization has not verified, so you were not signed in. Ask your admin to verify the domain under Security → Domains.',
  error: 'Something went wrong on our side. Please try again.',
  not_enabled: 'That sign-in method is not enabled on this installation.',
  sso_required:
    'Your organization requires single sign-on for this email address. Use "Sign in with SSO" with your work email.',
  no_organization:
    'Your account is not an active member of any organization. Ask for an invitation, or sign up to create one.',
  identity_in_use: 'That account at the provider is already connected to another Gatehouse account.',
  already_connected: 'You already have an account of that provider connected. Disconnect it first.',
  last_admin:
    "Your identity provider no longer gives you the Admin role, but you are the organization's last Admin. Put yourself back in an Admin group at the identity provider.",
} as const;

export type SsoFailureReason = keyof typeof SSO_FAILURES;

export function isSsoFailureReason(value: unknown): value is SsoFailureReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SSO_FAILURES, value);
}

/** Limits of an identity provider's settings, shared by the server's checks and the form. */
export const IDENTITY_PROVIDER_LIMITS = {
  nameMaxLength: 64,
  urlMaxLength: 512,
  clientIdMaxLength: 256,
  clientSecretMaxLength: 1024,
  claimMaxLength: 256,
  mappingsMax: 50,
} as const;

/** Sign-in providers an installation can turn on (see the server's social/ folder). */
export const SOCIAL_PROVIDERS = {
  google: 'Google',
  microsoft: 'Microsoft',
  github: 'GitHub',
} as const;

export type SocialProviderId = keyof typeof SOCIAL_PROVIDERS;

export function isSocialProviderId(value: unknown): value is SocialProviderId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SOCIAL_PROVIDERS, value);
}
