import { Field, ID, ObjectType } from 'type-graphql';
import type { PasskeyEntity } from './passkey.entity';

@ObjectType({ description: "One of the viewer's passkeys" })
export class Passkey {
  @Field(() => ID, { description: 'Its id.' })
  id: string;

  @Field({ description: 'Its name, e.g. the device.' })
  name: string;

  @Field({ description: 'When it was registered.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it last signed in or confirmed a sign-in' })
  lastUsedAt: Date | null;

  @Field({ description: 'Whether the passkey is synced to the provider’s cloud (usable on other devices)' })
  backedUp: boolean;

  static from(entity: PasskeyEntity): Passkey {
    return Object.assign(new Passkey(), {
      id: entity.id,
      name: entity.name,
      createdAt: entity.createdAt,
      lastUsedAt: entity.lastUsedAt,
      backedUp: entity.backedUp,
    });
  }
}
