import { Field, ID, ObjectType } from 'type-graphql';
import { ApiKey } from '../api-key/api-key.types';
import { MemberStatus } from '../member/member.types';

@ObjectType({ description: 'A non-human member that acts only through its API keys' })
export class ServiceAccount {
  @Field(() => ID, { description: 'Also the owner id of its API keys' })
  id: string;

  @Field({ description: 'Its name, unique in the organization.' })
  name: string;

  @Field({ description: 'What it is for; empty when none.' })
  description: string;

  @Field(() => MemberStatus, { description: 'ACTIVE or INACTIVE' })
  status: MemberStatus;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  roleId: string;
}

@ObjectType({ description: 'A new service account with its first API key.' })
export class CreatedServiceAccount {
  @Field(() => ServiceAccount, { description: 'The service account.' })
  serviceAccount: ServiceAccount;

  @Field({ description: "The first key's secret, shown this once" })
  secret: string;

  @Field(() => ApiKey, { description: 'The first key (its default key)' })
  apiKey: ApiKey;
}
