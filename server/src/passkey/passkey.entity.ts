import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/** A WebAuthn credential: its public key, signature counter and backup state as last reported. */
@Entity('passkeys')
export class PasskeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Base64url, as browsers report it. */
  @Column({ name: 'credential_id', type: 'text' })
  credentialId: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @Column({
    name: 'sign_count',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  signCount: number;

  @Column({ type: 'text', array: true })
  transports: string[];

  @Column({ name: 'device_type', type: 'text' })
  deviceType: PasskeyDeviceType;

  @Column({ name: 'backed_up', type: 'boolean' })
  backedUp: boolean;

  @Column({ type: 'text' })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
