import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit streams: destinations an organization's audit events are delivered to, in sequence
 * order. The stream row is the durable cursor (last delivered sequence) and the unit of work:
 * a deliverer holds its row lock while it sends, so one instance delivers a stream at a time.
 * The signing secret and custom header values are sealed with the SecretBox.
 *
 * Committed audit events wake the deliverers through NOTIFY (sent only when the organization
 * has a stream that is not paused, so organizations without streams pay one index probe).
 */
export class AuditStreams1732252100000 implements MigrationInterface {
  name = 'AuditStreams1732252100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_streams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        kind text NOT NULL CHECK (kind IN ('WEBHOOK', 'BATCH')),
        url text NOT NULL CHECK (length(url) <= 2048),
        sealed_secret text NOT NULL,
        sealed_headers text,
        header_names text[] NOT NULL DEFAULT '{}',
        categories text[] NOT NULL DEFAULT '{}',
        actions text[] NOT NULL DEFAULT '{}',
        batch_size integer NOT NULL DEFAULT 100 CHECK (batch_size BETWEEN 1 AND 1000),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FAILING', 'PAUSED')),
        delivered_sequence bigint NOT NULL CHECK (delivered_sequence >= 0),
        last_delivered_at timestamptz,
        failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_streams_organization_name_key UNIQUE (organization_id, name)
      );
      CREATE INDEX audit_streams_due_idx ON audit_streams (next_attempt_at) WHERE status <> 'PAUSED';

      CREATE TABLE audit_stream_deliveries (
        id bigserial PRIMARY KEY,
        stream_id uuid NOT NULL REFERENCES audit_streams(id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        success boolean NOT NULL,
        test boolean NOT NULL DEFAULT false,
        latency_ms integer NOT NULL,
        response_code integer,
        error_code text,
        first_sequence bigint,
        last_sequence bigint,
        events integer NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_stream_deliveries_stream_idx ON audit_stream_deliveries (stream_id, id DESC);

      CREATE FUNCTION audit_streams_notify() RETURNS trigger AS $$
      BEGIN
        IF NEW.organization_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM audit_streams WHERE organization_id = NEW.organization_id AND status <> 'PAUSED'
        ) THEN
          PERFORM pg_notify('gatehouse_audit_stream', NEW.organization_id::text);
        END IF;
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql;
      CREATE INDEX audit_streams_organization_idx ON audit_streams (organization_id);
      CREATE TRIGGER audit_streams_notify AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_streams_notify();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER audit_streams_notify ON audit_events;
      DROP FUNCTION audit_streams_notify();
      DROP TABLE audit_stream_deliveries;
      DROP TABLE audit_streams;
    `);
  }
}
