import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ThemeName } from '@gatehouse/shared';
import type { UserEntity } from './user.entity';

export enum Theme {
  LIGHT = 'LIGHT',
  DARK = 'DARK',
  SYSTEM = 'SYSTEM',
}
registerEnumType(Theme, {
  name: 'Theme',
  description: 'Colour scheme of the settings UI',
  valuesConfig: {
    DARK: { description: 'Dark colours.' },
    LIGHT: { description: 'Light colours.' },
    SYSTEM: { description: "Follows the device's setting." },
  },
});

@ObjectType({ description: "A person's account." })
export class User {
  @Field(() => ID, { description: "The user's id." })
  id: string;

  @Field(() => String, { nullable: true, description: 'The identity; read-only. Null for service accounts.' })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'Their username (3-32 of a-z 0-9 . _ -); null if none.' })
  username: string | null;

  @Field({ description: 'Their first name.' })
  firstName: string;

  @Field({ description: 'Their last name.' })
  lastName: string;

  @Field(() => Theme, { description: 'Their colour theme in the settings UI.' })
  theme: ThemeName;

  @Field({ description: 'False for users who sign in through an identity provider' })
  hasPassword: boolean;

  @Field({ description: 'Whether sign-in asks for a code from an authenticator app' })
  twoFactorEnabled: boolean;

  static from(entity: UserEntity): User {
    return Object.assign(new User(), {
      id: entity.id,
      email: entity.email,
      username: entity.username,
      firstName: entity.firstName,
      lastName: entity.lastName,
      theme: entity.theme,
      hasPassword: entity.passwordHash !== null,
      twoFactorEnabled: entity.totpEnabledAt !== null,
    });
  }
}
