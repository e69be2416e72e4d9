/** Limits that both the server's validation and the client's forms enforce. */
export const LIMITS = {
  emailMaxLength: 254,
  nameMaxLength: 64,
  organizationNameMaxLength: 64,
  usernameMinLength: 3,
  usernameMaxLength: 32,
  descriptionMaxLength: 256,
  apiKeyNameMaxLength: 64,
  apiKeysPerOwner: 5,
  passwordMinLength: 8,
  passwordMaxLength: 128,
  passwordMaxBytes: 72,
  pageSizeMax: 100,
} as const;

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;

export const THEMES = ['LIGHT', 'DARK', 'SYSTEM'] as const;
export type ThemeName = (typeof THEMES)[number];

export const PROFILE_AUTOSAVE_DELAY_MS = 600;

/** Grace periods offered when rotating a key: the old secret keeps working this long. */
export const API_KEY_GRACE_PERIODS_SECONDS = [0, 3600, 86400, 604800] as const;
export const API_KEY_EXPIRY_PRESETS_DAYS = [30, 90, 365] as const;
export const API_KEY_DEFAULT_LIFETIME_DAYS = 365;

/** Invitations expire after this many days; resending issues a new link and a new expiry. */
export const INVITATION_LIFETIME_DAYS = 5;
export const INVITATIONS_PER_REQUEST_MAX = 50;

/** Audit log: filter sizes, and how much of the chain one verification call recomputes. */
export const AUDIT_FILTER_VALUES_MAX = 20;
export const AUDIT_SEARCH_MAX_LENGTH = 100;
export const AUDIT_VERIFY_MAX_EVENTS = 1_000_000;

/** Ranges of the organization's Security settings, shared by the server's checks and the forms. */
export const SECURITY_SETTING_RANGES = {
  minPasswordLength: { min: 8, max: 72 },
  sessionLifetimeHours: { min: 1, max: 720 },
  apiKeyMaxLifetimeDays: { min: 1, max: 3650 },
  auditRetentionDays: { min: 1, max: 3650 },
} as const;
export const AUTHORIZED_DOMAINS_MAX = 50;
/** A claimed domain is checked this many days for its DNS record, then marked FAILED. */
export const DOMAIN_VERIFICATION_DAYS = 30;
export const EMAIL_DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A password reset link works this long, once; a new request within the cooldown sends nothing more. */
export const PASSWORD_RESET_LIFETIME_MINUTES = 60;
export const PASSWORD_RESET_COOLDOWN_SECONDS = 60;

/** The organization logo: PNG or JPEG, recognised by content, up to 2 MB. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The one rule for the name of anything a person names (organizations, workspaces, groups,
 * roles, service accounts, API keys, identity providers): 1–64 characters once trimmed, as it
 * is stored, and no control characters. Answers what is wrong, or null.
 */
export function nameProblem(name: string, what = 'Name'): string | null {
  const trimmed = name.trim();
  if (!trimmed) return `${what} is required.`;
  if (trimmed.length > LIMITS.nameMaxLength) return `${what} can be at most ${LIMITS.nameMaxLength} characters.`;
  if (/\p{Cc}/u.test(trimmed)) return `${what} cannot contain control characters such as tabs or line breaks.`;
  return null;
}

/** Access requests: how long elevated access may be asked for, and the reason's length. */
export const ACCESS_REQUEST_MAX_MINUTES = 7 * 24 * 60;
export const ACCESS_REQUEST_DURATION_PRESETS_MINUTES = [60, 240, 480, 1440, 10080] as const;
export const ACCESS_REQUEST_REASON_MAX_LENGTH = 500;

/** An API key's rate limit (its own, or the organization default): requests per fixed window. */
export const API_KEY_RATE_LIMIT_RANGES = {
  requests: { min: 1, max: 1_000_000_000 },
  windowSeconds: { min: 1, max: 86_400 },
} as const;

/** The organization's optional API key settings, each empty (null) when off. */
export const API_KEY_OPTIONAL_SETTING_RANGES = {
  apiKeyRateLimitRequests: API_KEY_RATE_LIMIT_RANGES.requests,
  apiKeyRateLimitWindowSeconds: API_KEY_RATE_LIMIT_RANGES.windowSeconds,
  apiKeyUnusedRevokeDays: { min: 1, max: 3650 },
} as const;
