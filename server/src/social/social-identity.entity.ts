import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SocialProviderId } from '@gatehouse/shared';

/** A Google, Microsoft or GitHub account that signs a user in; found by (provider, subject) only. */
@Entity('social_identities')
export class SocialIdentityEntity {
  @PrimaryColumn({ type: 'text' })
  provider: SocialProviderId;

  @PrimaryColumn({ type: 'text' })
  subject: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The verified email the provider gave when the identity was connected, to show the person which account it is. */
  @Column({ type: 'text' })
  email: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz' })
  lastSignInAt: Date;
}
