import { Field, ID, ObjectType } from 'type-graphql';
import { DEFAULT_API_KEY_LIFETIME_POLICY } from '../api-key/api-key-lifetime';
import { ApiKeyLifetime } from '../api-key/api-key.types';
import type { OrganizationEntity } from './organization.entity';

@ObjectType()
export class Organization {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  createdAt: Date;

  // Read-only until the organization's Security settings can change it; createApiKey enforces the same policy.
  @Field(() => ApiKeyLifetime)
  apiKeyLifetime: ApiKeyLifetime;

  static from(entity: OrganizationEntity): Organization {
    return Object.assign(new Organization(), {
      id: entity.id,
      name: entity.name,
      createdAt: entity.createdAt,
      apiKeyLifetime: ApiKeyLifetime.from(DEFAULT_API_KEY_LIFETIME_POLICY),
    });
  }
}
