import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ApiKeyLifetimePolicy } from './api-key-lifetime';
import type { ApiKeyEntity } from './api-key.entity';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether an API key authenticates requests.',
  valuesConfig: {
    ACTIVE: { description: 'Authenticates requests.' },
    EXPIRED: { description: 'Past its expiry date: refused with UNAUTHENTICATED.' },
    REVOKED: { description: 'Revoked: refused with UNAUTHENTICATED.' },
  },
});

export function statusOf(key: Pick<ApiKeyEntity, 'revokedAt' | 'expiresAt'>, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return ApiKeyStatus.REVOKED;
  if (key.expiresAt && key.expiresAt <= now) return ApiKeyStatus.EXPIRED;
  return ApiKeyStatus.ACTIVE;
}

/** A grace period that has run out is as good as none: the authenticator refuses the secret already. */
function previousSecretExpiry(key: Pick<ApiKeyEntity, 'previousSecretExpiresAt'>, now = new Date()): Date | null {
  return key.previousSecretExpiresAt && key.previousSecretExpiresAt > now ? key.previousSecretExpiresAt : null;
}

@ObjectType({ description: 'At most `requests` requests in each fixed window of `windowSeconds` seconds' })
export class RateLimit {
  @Field(() => Int, { description: 'Requests allowed per window' })
  requests: number;

  @Field(() => Int, { description: "The window's length in seconds; windows start at multiples of it" })
  windowSeconds: number;

  static of(requests: number | null, windowSeconds: number | null): RateLimit | null {
    return requests && windowSeconds ? Object.assign(new RateLimit(), { requests, windowSeconds }) : null;
  }
}

@ObjectType({ description: 'A personal API key; the secret itself is never readable after creation' })
export class ApiKey {
  @Field(() => ID, { description: "The key's id (not its secret)." })
  id: string;

  @Field({ description: "The key's name, unique among its owner's keys (up to 64 characters)." })
  name: string;

  @Field({ description: 'What the key is for, as its owner wrote it (up to 256 characters; empty when none).' })
  description: string;

  @Field({ description: 'The key prefix and its last four characters, e.g. gth_AbCd…wxyz' })
  maskedKey: string;

  @Field({ description: 'Every member has one default key; it can be rotated but not revoked or deleted' })
  isDefault: boolean;

  @Field(() => ApiKeyStatus, { description: 'Whether the key authenticates requests now.' })
  status: ApiKeyStatus;

  @Field(() => [String], { description: '"*" for every permission the owner holds, else permission names' })
  scopes: string[];

  @Field(() => ID, { description: 'The user or service account the key acts as.' })
  ownerId: string;

  @Field({ description: 'When the key was created.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Null when the key never expires' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a request last authenticated with the key; null if never.' })
  lastUsedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The IP address of that last request; null if never used.' })
  lastUsedIp: string | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while not revoked.' })
  revokedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the secret replaced by the last rotation still works; null when it no longer does',
  })
  previousSecretExpiresAt: Date | null;

  @Field(() => [String], {
    description:
      'Addresses and CIDR ranges the key may be used from; empty: anywhere. Other addresses are refused (IP_NOT_ALLOWED)',
  })
  allowedIps: string[];

  @Field(() => RateLimit, {
    nullable: true,
    description: "The key's own rate limit; null: the organization default applies (if it sets one)",
  })
  rateLimit: RateLimit | null;

  static from(entity: ApiKeyEntity): ApiKey {
    return Object.assign(new ApiKey(), {
      id: entity.id,
      name: entity.name,
      description: entity.description,
      maskedKey: `${entity.prefix}…${entity.lastFour}`,
      isDefault: entity.isDefault,
      status: statusOf(entity),
      scopes: entity.scopes,
      ownerId: entity.ownerId,
      createdAt: entity.createdAt,
      expiresAt: entity.expiresAt,
      lastUsedAt: entity.lastUsedAt,
      lastUsedIp: entity.lastUsedIp,
      revokedAt: entity.revokedAt,
      previousSecretExpiresAt: previousSecretExpiry(entity),
      allowedIps: entity.allowedIps,
      rateLimit: RateLimit.of(entity.rateLimitRequests, entity.rateLimitWindowSeconds),
    });
  }
}

@ObjectType({ description: 'A key with its secret, returned once when the secret is issued' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key as listed from now on.' })
  apiKey: ApiKey;

  @Field({ description: 'Shown exactly once; only its hash is stored' })
  secret: string;
}

@ObjectType({ description: 'How long the organization lets new API keys live' })
export class ApiKeyLifetime {
  @Field(() => Int, { description: 'The latest expiry allowed, in days from now' })
  maxLifetimeDays: number;

  @Field({ description: 'Whether a key may be created without an expiry' })
  allowNeverExpiring: boolean;

  static from(policy: ApiKeyLifetimePolicy): ApiKeyLifetime {
    return Object.assign(new ApiKeyLifetime(), policy);
  }
}

@ObjectType({ description: "One UTC day of a key's requests, by outcome" })
export class ApiKeyUsageDay {
  @Field({ description: 'The start of the day (00:00 UTC)' })
  day: Date;

  @Field(() => Int, { description: 'Requests the key was accepted for' })
  success: number;

  @Field(() => Int, { description: 'Requests refused because the key was revoked, expired or its owner removed' })
  unauthorized: number;

  @Field(() => Int, { description: 'Requests refused by the rate limit (HTTP 429)' })
  rateLimited: number;

  @Field(() => Int, { description: 'Requests refused because they came from an address outside the allowlist' })
  ipNotAllowed: number;
}
