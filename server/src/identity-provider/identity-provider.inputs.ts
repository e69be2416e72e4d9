import { IsName } from '../kernel/named-inputs';
import { Field, ID, InputType } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsOptional,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AUTHORIZED_DOMAINS_MAX, EMAIL_DOMAIN_PATTERN, IDENTITY_PROVIDER_LIMITS as LIMITS } from '@gatehouse/shared';

@InputType({ description: 'A provider group and what its members get here.' })
export class IdentityProviderGroupMappingInput {
  @Field({ description: "A value of the provider's groups claim" })
  @MinLength(1, { message: 'Each mapping needs the group name the identity provider sends.' })
  @MaxLength(LIMITS.claimMaxLength)
  idpGroup: string;

  @Field(() => ID, { description: 'The tenant role members of that group get' })
  roleId: string;

  @Field(() => ID, { nullable: true, description: 'A Gatehouse group they are put in' })
  @IsOptional()
  groupId?: string | null;
}

@InputType({ description: 'The whole configuration; on update, an omitted clientSecret keeps the stored one' })
export class IdentityProviderInput {
  @Field({ description: 'Shown on the sign-in button' })
  @IsName('Provider name')
  name: string;

  @Field({ description: 'The issuer URL; its /.well-known/openid-configuration must name the same issuer' })
  @MaxLength(LIMITS.urlMaxLength)
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: false },
    { message: 'The issuer must be a URL such as https://login.example.com.' },
  )
  issuer: string;

  @Field({ description: 'The client id registered at the provider.' })
  @MinLength(1, { message: 'The client ID is required.' })
  @MaxLength(LIMITS.clientIdMaxLength)
  clientId: string;

  @Field(() => String, { nullable: true, description: 'Write-only; stored encrypted' })
  @IsOptional()
  @MinLength(1, { message: 'The client secret is required.' })
  @MaxLength(LIMITS.clientSecretMaxLength)
  clientSecret?: string | null;

  @Field({ description: 'The ID token claim that lists the groups' })
  @Matches(/^\S+$/, { message: 'The groups claim is a claim name without spaces, such as groups.' })
  @MaxLength(LIMITS.claimMaxLength)
  groupsClaim: string;

  @Field(() => [String], { description: 'People with these email domains "Sign in with SSO" through this provider' })
  @ArrayMaxSize(AUTHORIZED_DOMAINS_MAX)
  @Matches(EMAIL_DOMAIN_PATTERN, { each: true, message: 'Each email domain must look like example.com.' })
  emailDomains: string[];

  @Field({ description: 'Whether sign-in through it is on.' })
  @IsBoolean()
  enabled: boolean;

  @Field(() => [IdentityProviderGroupMappingInput], {
    description: 'Read top to bottom: the first match gives the role, every match adds its group',
  })
  @ArrayMinSize(1, { message: 'Add at least one group mapping that gives the Admin role.' })
  @ArrayMaxSize(LIMITS.mappingsMax)
  @ValidateNested()
  groupMappings: IdentityProviderGroupMappingInput[];
}
