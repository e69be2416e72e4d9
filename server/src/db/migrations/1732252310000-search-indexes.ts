import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free-text search through trigram indexes (pg_trgm, shipped with PostgreSQL's contrib): the
 * members list's search over email, username and name, and the audit log's over its text
 * columns (one multi-column GIN index serves each arm of the search's OR). `users (email, id)`
 * lets the members list page by its keyset without sorting the whole organization.
 */
export class SearchIndexes1732252310000 implements MigrationInterface {
  name = 'SearchIndexes1732252310000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX users_search_trgm_idx ON users
        USING gin ((lower(email || ' ' || coalesce(username, '') || ' ' || first_name || ' ' || last_name)) gin_trgm_ops);
      CREATE INDEX users_email_id_idx ON users (email, id);
      CREATE INDEX audit_events_search_trgm_idx ON audit_events USING gin (
        action gin_trgm_ops, actor_name gin_trgm_ops, target_name gin_trgm_ops,
        target_id gin_trgm_ops, ip gin_trgm_ops, request_id gin_trgm_ops);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX users_search_trgm_idx, users_email_id_idx, audit_events_search_trgm_idx');
  }
}
