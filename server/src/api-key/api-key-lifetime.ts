import { API_KEY_DEFAULT_LIFETIME_DAYS } from '@gatehouse/shared';
import { AppError } from '../errors/app-error';
import type { OrganizationEntity } from '../organization/organization.entity';

export interface ApiKeyLifetimePolicy {
  /** The latest expiry allowed, in days from now. */
  maxLifetimeDays: number;
  allowNeverExpiring: boolean;
}

/** What the organization's Security settings allow new keys. */
export function apiKeyLifetimePolicy(organization: OrganizationEntity): ApiKeyLifetimePolicy {
  return {
    maxLifetimeDays: organization.apiKeyMaxLifetimeDays,
    allowNeverExpiring: organization.apiKeysMayNeverExpire,
  };
}

const DAY_MS = 86_400_000;

/** The expiry of a new key: the requested date, "never" where allowed, or one year from now. */
export function resolveExpiry(
  request: { expiresAt?: Date | null; neverExpires?: boolean | null },
  policy: ApiKeyLifetimePolicy,
  now = new Date(),
): Date | null {
  if (request.neverExpires) {
    if (request.expiresAt) throw AppError.badInput('expiresAt', 'Choose an expiry date or "never", not both.');
    if (!policy.allowNeverExpiring) {
      throw AppError.badInput('neverExpires', 'Your organization requires API keys to expire.');
    }
    return null;
  }
  const latest = new Date(now.getTime() + policy.maxLifetimeDays * DAY_MS);
  if (!request.expiresAt) {
    return new Date(Math.min(now.getTime() + API_KEY_DEFAULT_LIFETIME_DAYS * DAY_MS, latest.getTime()));
  }
  if (request.expiresAt.getTime() <= now.getTime()) {
    throw AppError.badInput('expiresAt', 'The expiry date must be in the future.');
  }
  if (request.expiresAt.getTime() > latest.getTime()) {
    throw AppError.badInput(
      'expiresAt',
      `Your organization allows API keys to live at most ${policy.maxLifetimeDays} days.`,
    );
  }
  return request.expiresAt;
}
