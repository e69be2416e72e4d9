import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sessions are cached like API keys (auth/authenticate.ts), so the rows they are built
 * from announce their changes on the same channel: a session ended, moved to another organization
 * or deleted (`{ sessionId }`), and an organization's settings, which a session's snapshot
 * carries (the 2FA requirement) (`{ organizationId }`). Last-seen times are bookkeeping.
 */
export class SessionAccessTriggers1732252300000 implements MigrationInterface {
  name = 'SessionAccessTriggers1732252300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TRIGGER sessions_access_changed AFTER UPDATE ON sessions FOR EACH ROW
        WHEN (changed_apart_from(to_jsonb(OLD), to_jsonb(NEW), '{last_seen_at}'))
        EXECUTE FUNCTION access_changed('sessionId', 'id');
      CREATE TRIGGER sessions_access_removed AFTER DELETE ON sessions FOR EACH ROW
        EXECUTE FUNCTION access_changed('sessionId', 'id');
      CREATE TRIGGER sessions_access_truncated AFTER TRUNCATE ON sessions
        FOR EACH STATEMENT EXECUTE FUNCTION access_changed();

      CREATE TRIGGER organizations_access_changed AFTER UPDATE ON organizations FOR EACH ROW
        WHEN (changed_apart_from(to_jsonb(OLD), to_jsonb(NEW), '{updated_at}'))
        EXECUTE FUNCTION access_changed('organizationId', 'id');
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER sessions_access_changed ON sessions;
      DROP TRIGGER sessions_access_removed ON sessions;
      DROP TRIGGER sessions_access_truncated ON sessions;
      DROP TRIGGER organizations_access_changed ON organizations;
    `);
  }
}
