import { Field, ID, ObjectType } from 'type-graphql';
import type { GroupEntity } from './group.entity';

@ObjectType()
export class Group {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field()
  createdAt: Date;

  static from(entity: Pick<GroupEntity, 'id' | 'name' | 'description' | 'createdAt'>): Group {
    return Object.assign(new Group(), {
      id: entity.id,
      name: entity.name,
      description: entity.description,
      createdAt: entity.createdAt,
    });
  }
}
