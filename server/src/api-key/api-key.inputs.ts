import { Field, ID, InputType, Int } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { API_KEY_RATE_LIMIT_RANGES as RANGES, LIMITS } from '@gatehouse/shared';
import { IsName, RenameInput } from '../kernel/named-inputs';
import { MAX_ALLOWED_IPS } from './ip-allowlist';

@InputType({ description: 'At most `requests` requests in each fixed window of `windowSeconds` seconds' })
export class RateLimitInput {
  @Field(() => Int, { description: `Requests allowed per window, ${RANGES.requests.min} to ${RANGES.requests.max}` })
  @IsInt()
  @Min(RANGES.requests.min)
  @Max(RANGES.requests.max)
  requests: number;

  @Field(() => Int, {
    description: `The window's length in seconds, ${RANGES.windowSeconds.min} to ${RANGES.windowSeconds.max}`,
  })
  @IsInt()
  @Min(RANGES.windowSeconds.min)
  @Max(RANGES.windowSeconds.max)
  windowSeconds: number;
}

/** Adds the guardrails a key is given when created and can change later (an omitted field: unchanged). */
function withGuardrails<TBase extends new (...args: any[]) => object>(Base: TBase) {
  // Never referenced by the schema itself, so never emitted: only its subclasses are.
  @InputType(`${Base.name}WithApiKeyGuardrails`)
  class WithGuardrails extends Base {
    @Field(() => [String], {
      nullable: true,
      description: `IPv4/IPv6 addresses and CIDR ranges the key may be used from, at most ${MAX_ALLOWED_IPS}; empty: anywhere`,
    })
    @IsOptional()
    @ArrayMaxSize(MAX_ALLOWED_IPS)
    @IsString({ each: true })
    allowedIps?: string[];

    @Field(() => RateLimitInput, {
      nullable: true,
      description: "The key's own rate limit; null: the organization default",
    })
    @IsOptional()
    @ValidateNested()
    rateLimit?: RateLimitInput | null;
  }
  return WithGuardrails;
}

@InputType({ description: 'A new API key for the caller or, for admins, for a service account.' })
export class CreateApiKeyInput extends withGuardrails(Object) {
  @Field({ description: "A name unique among the owner's keys (up to 64 characters)." })
  @IsName()
  name: string;

  @Field(() => String, { nullable: true, description: 'What the key is for (up to 256 characters).' })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;

  @Field(() => [String], { nullable: true, description: 'Defaults to ["*"]: everything the owner may do' })
  @IsOptional()
  @ArrayMinSize(1, { message: 'Choose at least one scope, or "*" for all.' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];

  @Field(() => Date, { nullable: true, description: 'Defaults to one year from now' })
  @IsOptional()
  expiresAt?: Date;

  @Field(() => Boolean, { nullable: true, description: 'Where the organization allows keys that never expire' })
  @IsOptional()
  neverExpires?: boolean;

  @Field(() => ID, { nullable: true, description: "A service account's id, to create a key for it (admins)" })
  @IsOptional()
  ownerId?: string;
}

/** The schema keeps its own name for this input: the common rename, and new guardrails. */
@InputType({ description: "New values for a key's name, description or guardrails; omitted fields stay as they are." })
export class UpdateApiKeyInput extends withGuardrails(RenameInput) {}
