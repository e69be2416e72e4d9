import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AuditCategory } from '../audit-log/audit-event.entity';

export type AuditStreamKindName = 'WEBHOOK' | 'BATCH';
export type AuditStreamStatusName = 'ACTIVE' | 'FAILING' | 'PAUSED';

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

@Entity('audit_streams')
export class AuditStreamEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: AuditStreamKindName;

  @Column({ type: 'text' })
  url: string;

  /** The whsec_ signing secret, sealed with the SecretBox. */
  @Column({ name: 'sealed_secret', type: 'text' })
  sealedSecret: string;

  /** JSON of the custom headers (values are vendor tokens), sealed with the SecretBox. */
  @Column({ name: 'sealed_headers', type: 'text', nullable: true })
  sealedHeaders: string | null;

  @Column({ name: 'header_names', type: 'text', array: true })
  headerNames: string[];

  @Column({ type: 'text', array: true })
  categories: AuditCategory[];

  @Column({ type: 'text', array: true })
  actions: string[];

  @Column({ name: 'batch_size', type: 'int' })
  batchSize: number;

  @Column({ type: 'text' })
  status: AuditStreamStatusName;

  /** The durable cursor: every event up to this sequence has been delivered (or filtered out). */
  @Column({ name: 'delivered_sequence', type: 'bigint', transformer: bigintNumber })
  deliveredSequence: number;

  @Column({ name: 'last_delivered_at', type: 'timestamptz', nullable: true })
  lastDeliveredAt: Date | null;

  @Column({ type: 'int' })
  failures: number;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
