import { Field, ID, ObjectType } from 'type-graphql';
import type { ScimTokenEntity } from './scim.entity';

@ObjectType({
  description:
    "A bearer token an identity provider uses to provision the organization's members and groups over SCIM 2.0",
})
export class ScimToken {
  @Field(() => ID, {
    description: 'The token id; it also names the token as the actor of the audit events of its requests',
  })
  id: string;

  @Field({ description: 'What the token is for, such as "Okta" or "Microsoft Entra ID"' })
  name: string;

  @Field({ description: 'The token prefix and its last four characters, e.g. gth_scim_AbCd…wxyz' })
  maskedToken: string;

  @Field({ description: 'When the token was created' })
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the identity provider last called with it (to the minute); null if never',
  })
  lastUsedAt: Date | null;

  static from(entity: ScimTokenEntity): ScimToken {
    return Object.assign(new ScimToken(), {
      id: entity.id,
      name: entity.name,
      maskedToken: `${entity.prefix}…${entity.lastFour}`,
      createdAt: entity.createdAt,
      lastUsedAt: entity.lastUsedAt,
    });
  }
}

@ObjectType({ description: 'A new SCIM token with its secret, which is shown this once and stored only as a hash' })
export class CreatedScimToken {
  @Field({
    description: 'The bearer token to paste into the identity provider, prefix gth_scim_; never readable again',
  })
  secret: string;

  @Field(() => ScimToken, { description: 'The token as it will be listed from now on' })
  scimToken: ScimToken;
}

@ObjectType({ description: "The organization's SCIM 2.0 provisioning endpoint and its latest activity" })
export class ScimProvisioning {
  @Field({
    description:
      'The SCIM base URL to give the identity provider (Okta: "SCIM connector base URL"; Entra: "Tenant URL")',
  })
  baseUrl: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When the identity provider last changed a member or group; null if never',
  })
  lastSyncAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The audit action of that change, such as scim.userUpdated; null if never',
  })
  lastSyncAction: string | null;
}
