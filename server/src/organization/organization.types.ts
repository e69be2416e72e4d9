import { Field, ID, ObjectType } from 'type-graphql';
import type { OrganizationEntity } from './organization.entity';

@ObjectType()
export class Organization {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  createdAt: Date;

  static from(entity: OrganizationEntity): Organization {
    return Object.assign(new Organization(), { id: entity.id, name: entity.name, createdAt: entity.createdAt });
  }
}
