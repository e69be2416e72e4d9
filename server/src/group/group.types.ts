import { Field, ID, ObjectType } from 'type-graphql';
import type { GroupEntity } from './group.entity';

@ObjectType({ description: 'A named set of users and service accounts that receives roles together.' })
export class Group {
  @Field(() => ID, { description: "The group's id." })
  id: string;

  @Field({ description: "The group's name, unique in the organization." })
  name: string;

  @Field({ description: 'What the group is for; empty when none.' })
  description: string;

  @Field({ description: 'When the group was created.' })
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
