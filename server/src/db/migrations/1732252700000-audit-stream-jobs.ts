import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit streams are delivered by graphile-worker jobs: a committed audit event of an organization
 * enqueues, in the transaction that appends it, one `auditStream.deliver` job per stream that is
 * not paused (job key `auditStream:<id>`, so at most one waits per stream). The job row is durable:
 * events committed while no instance runs jobs are delivered when one starts. `preserve_run_at`
 * keeps a failing stream's backoff: new events do not bring its next attempt forward. (The
 * graphile_worker schema is installed right after these migrations; PL/pgSQL resolves the call
 * when it runs.)
 */
export class AuditStreamJobs1732252700000 implements MigrationInterface {
  name = 'AuditStreamJobs1732252700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER audit_streams_notify ON audit_events;
      DROP FUNCTION audit_streams_notify();
      CREATE FUNCTION audit_streams_enqueue() RETURNS trigger AS $$
      DECLARE
        stream_id uuid;
      BEGIN
        IF NEW.organization_id IS NULL THEN
          RETURN NULL;
        END IF;
        FOR stream_id IN
          SELECT id FROM audit_streams WHERE organization_id = NEW.organization_id AND status <> 'PAUSED'
        LOOP
          PERFORM graphile_worker.add_job('auditStream.deliver', json_build_object('streamId', stream_id),
            job_key => 'auditStream:' || stream_id, job_key_mode => 'preserve_run_at');
        END LOOP;
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql;
      CREATE TRIGGER audit_streams_enqueue AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_streams_enqueue();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER audit_streams_enqueue ON audit_events;
      DROP FUNCTION audit_streams_enqueue();
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
      CREATE TRIGGER audit_streams_notify AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_streams_notify();
    `);
  }
}
