import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type DateFormat = 'MM_DD_YYYY' | 'DD_MM_YYYY';
export type TimeFormat = 'H12' | 'H24';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'date_format', type: 'text' })
  dateFormat: DateFormat;

  @Column({ name: 'time_format', type: 'text' })
  timeFormat: TimeFormat;

  @Column({ name: 'copilot_test_data_access', type: 'boolean' })
  copilotTestDataAccess: boolean;

  @Column({ name: 'authorized_email_domains', type: 'text', array: true })
  authorizedEmailDomains: string[];

  @Column({ name: 'min_password_length', type: 'integer' })
  minPasswordLength: number;

  @Column({ name: 'session_lifetime_hours', type: 'integer' })
  sessionLifetimeHours: number;

  @Column({ name: 'api_key_max_lifetime_days', type: 'integer' })
  apiKeyMaxLifetimeDays: number;

  @Column({ name: 'api_keys_may_never_expire', type: 'boolean' })
  apiKeysMayNeverExpire: boolean;

  /** The rate limit of keys without one of their own; null: unlimited. */
  @Column({ name: 'api_key_rate_limit_requests', type: 'integer', nullable: true })
  apiKeyRateLimitRequests: number | null;

  @Column({ name: 'api_key_rate_limit_window_seconds', type: 'integer', nullable: true })
  apiKeyRateLimitWindowSeconds: number | null;

  /** Keys unused for this many days are revoked by the notices job; null: never. */
  @Column({ name: 'api_key_unused_revoke_days', type: 'integer', nullable: true })
  apiKeyUnusedRevokeDays: number | null;

  @Column({ name: 'require_two_factor', type: 'boolean' })
  requireTwoFactor: boolean;

  /** Password and social sign-in refused for the emails of the organization's verified domains (Admins keep password). */
  @Column({ name: 'require_sso', type: 'boolean' })
  requireSso: boolean;

  @Column({ name: 'logo_updated_at', type: 'timestamptz', nullable: true })
  logoUpdatedAt: Date | null;

  @Column({ name: 'audit_retention_days', type: 'integer' })
  auditRetentionDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
