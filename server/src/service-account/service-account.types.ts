import { Field, ID, ObjectType } from 'type-graphql';
import { ApiKey } from '../api-key/api-key.types';
import { MemberStatus } from '../member/member.types';

@ObjectType({ description: 'A non-human member that acts only through its API keys' })
export class ServiceAccount {
  @Field(() => ID, { description: 'Also the owner id of its API keys' })
  id: string;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field(() => MemberStatus, { description: 'ACTIVE or INACTIVE' })
  status: MemberStatus;

  @Field()
  createdAt: Date;

  roleId: string;
}

@ObjectType()
export class CreatedServiceAccount {
  @Field(() => ServiceAccount)
  serviceAccount: ServiceAccount;

  @Field({ description: "The first key's secret, shown this once" })
  secret: string;

  @Field(() => ApiKey, { description: 'The first key (its default key)' })
  apiKey: ApiKey;
}
