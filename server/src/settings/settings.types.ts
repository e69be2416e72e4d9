import { Field, Int, ObjectType } from 'type-graphql';
import type { DateFormat, OrganizationEntity, TimeFormat } from '../organization/organization.entity';
import { DateFormatValue, TimeFormatValue } from '../organization/organization.types';
import { RateLimit } from '../api-key/api-key.types';

@ObjectType({ description: 'Name and date and time formats.' })
export class GeneralSettings {
  @Field({ description: "The organization's name." })
  name: string;

  @Field(() => DateFormatValue, { description: 'How dates are shown.' })
  dateFormat: DateFormat;

  @Field(() => TimeFormatValue, { description: 'How times are shown.' })
  timeFormat: TimeFormat;
}

@ObjectType({ description: "What AI features may do with the organization's data." })
export class AiSettings {
  @Field({
    description: 'Lets Builder Copilot read test data in workspaces to suggest better answers; off by default',
  })
  copilotTestDataAccess: boolean;
}

@ObjectType({ description: 'Password, session, API key and audit rules of the organization.' })
export class SecuritySettings {
  @Field({ description: 'Members without two-factor authentication must set it up before anything else' })
  requireTwoFactor: boolean;

  @Field({
    description:
      "Emails of the organization's verified domains must sign in with single sign-on: password and social sign-in are refused (Admins keep password sign-in)",
  })
  requireSso: boolean;

  @Field(() => [String], { description: 'Empty: any domain. Admins are never held to it.' })
  authorizedEmailDomains: string[];

  @Field(() => Int, { description: 'The shortest password members may set (8-72).' })
  minPasswordLength: number;

  @Field(() => Int, { description: '1 to 720' })
  sessionLifetimeHours: number;

  @Field(() => Int, { description: 'The longest lifetime of a new key, in days (1-3650).' })
  apiKeyMaxLifetimeDays: number;

  @Field({ description: 'Whether keys may be created without an expiry.' })
  allowNeverExpiringApiKeys: boolean;

  @Field(() => Int, { description: 'How long audit events are kept, in days (1-3650).' })
  auditRetentionDays: number;

  @Field(() => RateLimit, {
    nullable: true,
    description: 'The rate limit of every API key without one of its own; null: none',
  })
  apiKeyRateLimit: RateLimit | null;

  @Field(() => Int, {
    nullable: true,
    description: 'API keys unused for this many days are revoked automatically (their owners are told); null: never',
  })
  apiKeyUnusedRevokeDays: number | null;
}

@ObjectType({ description: "The organization's General, AI and Security settings" })
export class OrganizationSettings {
  @Field(() => GeneralSettings, { description: 'General settings.' })
  general: GeneralSettings;

  @Field(() => AiSettings, { description: 'AI settings.' })
  ai: AiSettings;

  @Field(() => SecuritySettings, { description: 'Security settings.' })
  security: SecuritySettings;

  static from(organization: OrganizationEntity): OrganizationSettings {
    return {
      general: { name: organization.name, dateFormat: organization.dateFormat, timeFormat: organization.timeFormat },
      ai: { copilotTestDataAccess: organization.copilotTestDataAccess },
      security: {
        requireTwoFactor: organization.requireTwoFactor,
        requireSso: organization.requireSso,
        authorizedEmailDomains: organization.authorizedEmailDomains,
        minPasswordLength: organization.minPasswordLength,
        sessionLifetimeHours: organization.sessionLifetimeHours,
        apiKeyMaxLifetimeDays: organization.apiKeyMaxLifetimeDays,
        allowNeverExpiringApiKeys: organization.apiKeysMayNeverExpire,
        auditRetentionDays: organization.auditRetentionDays,
        apiKeyRateLimit: RateLimit.of(organization.apiKeyRateLimitRequests, organization.apiKeyRateLimitWindowSeconds),
        apiKeyUnusedRevokeDays: organization.apiKeyUnusedRevokeDays,
      },
    };
  }
}
