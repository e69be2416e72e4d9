import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database itself announces every change to who may do what, on the channel the API-key
 * caches of all instances listen on (payload: server/src/auth/access-events.ts). A change made by
 * any code path, a cascade, or by hand in SQL stops a cached key as soon as it commits; no
 * service has to remember to send anything.
 */
export class AccessChangeTriggers1732251400000 implements MigrationInterface {
  name = 'AccessChangeTriggers1732251400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Trigger arguments are pairs (payload field, column): the row's columns name whose access
      -- changed, and a missing (NULL) one widens the change, so a workspace role held by a group
      -- reaches the whole organization. Old and new rows both count (a row may move). A TRUNCATE
      -- has no rows and affects everyone. Identical payloads in one transaction reach listeners
      -- once, so a cascade over thousands of rows sends each principal a single message.
      CREATE FUNCTION access_changed() RETURNS trigger AS $$
      DECLARE
        version jsonb;
        change jsonb;
        i integer;
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('gatehouse_access_changed', '{}');
          RETURN NULL;
        END IF;
        FOREACH version IN ARRAY ARRAY[to_jsonb(OLD), to_jsonb(NEW)] LOOP
          CONTINUE WHEN version IS NULL;
          change := '{}';
          FOR i IN 0 .. TG_NARGS - 1 BY 2 LOOP
            change := change || jsonb_strip_nulls(jsonb_build_object(TG_ARGV[i], version -> TG_ARGV[i + 1]));
          END LOOP;
          PERFORM pg_notify('gatehouse_access_changed', change::text);
        END LOOP;
        RETURN NULL;
      END $$ LANGUAGE plpgsql;

      -- Bookkeeping columns (usage times, counters) are written all the time and grant nothing:
      -- an update of only those must not empty every cache.
      CREATE FUNCTION changed_apart_from(old_row jsonb, new_row jsonb, bookkeeping text[]) RETURNS boolean AS $$
        SELECT (old_row - bookkeeping) IS DISTINCT FROM (new_row - bookkeeping);
      $$ LANGUAGE sql IMMUTABLE;

      CREATE TRIGGER api_keys_access_changed AFTER UPDATE ON api_keys FOR EACH ROW
        WHEN (changed_apart_from(to_jsonb(OLD), to_jsonb(NEW), '{last_used_at,last_used_ip}'))
        EXECUTE FUNCTION access_changed('apiKeyId', 'id');
      CREATE TRIGGER api_keys_access_removed AFTER DELETE ON api_keys FOR EACH ROW
        EXECUTE FUNCTION access_changed('apiKeyId', 'id');

      CREATE TRIGGER memberships_access_changed AFTER UPDATE ON memberships FOR EACH ROW
        WHEN (changed_apart_from(to_jsonb(OLD), to_jsonb(NEW), '{last_active_at,api_key_count,updated_at}'))
        EXECUTE FUNCTION access_changed('organizationId', 'organization_id', 'userId', 'user_id');
      CREATE TRIGGER memberships_access_removed AFTER DELETE ON memberships FOR EACH ROW
        EXECUTE FUNCTION access_changed('organizationId', 'organization_id', 'userId', 'user_id');

      CREATE TRIGGER users_access_changed AFTER UPDATE ON users FOR EACH ROW
        WHEN (changed_apart_from(to_jsonb(OLD), to_jsonb(NEW), '{updated_at,totp_last_step}'))
        EXECUTE FUNCTION access_changed('userId', 'id');
      CREATE TRIGGER users_access_removed AFTER DELETE ON users FOR EACH ROW
        EXECUTE FUNCTION access_changed('userId', 'id');

      -- A custom role reaches every member holding it, directly or through a group or workspace.
      -- Built-in roles take their permissions from the code, so their rows carry no access.
      CREATE TRIGGER roles_access_changed AFTER UPDATE OR DELETE ON roles FOR EACH ROW
        WHEN (OLD.organization_id IS NOT NULL)
        EXECUTE FUNCTION access_changed('organizationId', 'organization_id');

      CREATE TRIGGER group_members_access_changed AFTER INSERT OR UPDATE OR DELETE ON group_members FOR EACH ROW
        EXECUTE FUNCTION access_changed('organizationId', 'organization_id', 'userId', 'user_id');
      CREATE TRIGGER workspace_members_access_changed AFTER INSERT OR UPDATE OR DELETE ON workspace_members
        FOR EACH ROW EXECUTE FUNCTION access_changed('organizationId', 'organization_id', 'userId', 'user_id');
    `);
    for (const table of ['api_keys', 'memberships', 'users', 'roles', 'group_members', 'workspace_members']) {
      await db.query(`CREATE TRIGGER ${table}_access_truncated AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION access_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION access_changed, changed_apart_from CASCADE');
  }
}
