import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import {
  API_KEY_OPTIONAL_SETTING_RANGES,
  AUTHORIZED_DOMAINS_MAX,
  EMAIL_DOMAIN_PATTERN,
  SECURITY_SETTING_RANGES as RANGES,
} from '@gatehouse/shared';
import { IsName } from '../kernel/named-inputs';
import { RateLimitInput } from '../api-key/api-key.inputs';

const UNUSED = API_KEY_OPTIONAL_SETTING_RANGES.apiKeyUnusedRevokeDays;
import type { DateFormat, TimeFormat } from '../organization/organization.entity';
import { DateFormatValue, TimeFormatValue } from '../organization/organization.types';

@InputType({ description: 'New general settings; omitted fields stay as they are.' })
export class GeneralSettingsInput {
  @Field({ nullable: true, description: "The organization's name (up to 64 characters)." })
  @IsOptional()
  @IsName('Organization name')
  name?: string;

  @Field(() => DateFormatValue, { nullable: true, description: 'How dates are shown.' })
  @IsOptional()
  @IsIn(Object.values(DateFormatValue))
  dateFormat?: DateFormat;

  @Field(() => TimeFormatValue, { nullable: true, description: 'How times are shown.' })
  @IsOptional()
  @IsIn(Object.values(TimeFormatValue))
  timeFormat?: TimeFormat;
}

@InputType({ description: 'New AI settings; omitted fields stay as they are.' })
export class AiSettingsInput {
  @Field({ nullable: true, description: 'Whether the copilot may read test data.' })
  @IsOptional()
  @IsBoolean()
  copilotTestDataAccess?: boolean;
}

@InputType({ description: 'New security settings; omitted fields stay as they are.' })
export class SecuritySettingsInput {
  @Field({ nullable: true, description: 'Only someone who uses two-factor authentication can switch it on' })
  @IsOptional()
  @IsBoolean()
  requireTwoFactor?: boolean;

  @Field(() => [String], { nullable: true, description: 'Email domains members may have (up to 50); empty: any.' })
  @IsOptional()
  @ArrayMaxSize(AUTHORIZED_DOMAINS_MAX)
  @Matches(EMAIL_DOMAIN_PATTERN, { each: true, message: 'Each authorized domain must look like example.com.' })
  authorizedEmailDomains?: string[];

  @Field(() => Int, { nullable: true, description: 'The shortest password members may set (8-72).' })
  @IsOptional()
  @IsInt()
  @Min(RANGES.minPasswordLength.min)
  @Max(RANGES.minPasswordLength.max)
  minPasswordLength?: number;

  @Field(() => Int, { nullable: true, description: 'How long a session lasts without use, in hours (1-720).' })
  @IsOptional()
  @IsInt()
  @Min(RANGES.sessionLifetimeHours.min)
  @Max(RANGES.sessionLifetimeHours.max)
  sessionLifetimeHours?: number;

  @Field(() => Int, { nullable: true, description: 'The longest lifetime of a new key, in days (1-3650).' })
  @IsOptional()
  @IsInt()
  @Min(RANGES.apiKeyMaxLifetimeDays.min)
  @Max(RANGES.apiKeyMaxLifetimeDays.max)
  apiKeyMaxLifetimeDays?: number;

  @Field({ nullable: true, description: 'Whether keys may be created without an expiry.' })
  @IsOptional()
  @IsBoolean()
  allowNeverExpiringApiKeys?: boolean;

  @Field({ nullable: true, description: 'Single sign-on only for the emails of the verified domains' })
  @IsOptional()
  @IsBoolean()
  requireSso?: boolean;

  @Field(() => Int, { nullable: true, description: 'How long audit events are kept, in days (1-3650).' })
  @IsOptional()
  @IsInt()
  @Min(RANGES.auditRetentionDays.min)
  @Max(RANGES.auditRetentionDays.max)
  auditRetentionDays?: number;

  @Field(() => RateLimitInput, {
    nullable: true,
    description: 'The rate limit of every API key without one of its own; null: none',
  })
  @IsOptional()
  @ValidateNested()
  apiKeyRateLimit?: RateLimitInput | null;

  @Field(() => Int, {
    nullable: true,
    description: `Revoke API keys unused for this many days (${UNUSED.min} to ${UNUSED.max}); null: never`,
  })
  @IsOptional()
  @IsInt()
  @Min(UNUSED.min)
  @Max(UNUSED.max)
  apiKeyUnusedRevokeDays?: number | null;
}
@InputType({ description: 'Only the groups and fields given change' })
export class UpdateOrganizationSettingsInput {
  @Field(() => GeneralSettingsInput, { nullable: true, description: 'New general settings.' })
  @IsOptional()
  @ValidateNested()
  general?: GeneralSettingsInput;

  @Field(() => AiSettingsInput, { nullable: true, description: 'New AI settings.' })
  @IsOptional()
  @ValidateNested()
  ai?: AiSettingsInput;

  @Field(() => SecuritySettingsInput, { nullable: true, description: 'Needs security:manage' })
  @IsOptional()
  @ValidateNested()
  security?: SecuritySettingsInput;
}
