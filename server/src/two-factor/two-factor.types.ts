import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A new authenticator secret, waiting for a code to confirm it' })
export class TwoFactorEnrollment {
  @Field({ description: 'Base32, for typing into an authenticator app' })
  secret: string;

  @Field({ description: 'The otpauth:// URI, for a QR code' })
  otpauthUrl: string;
}
