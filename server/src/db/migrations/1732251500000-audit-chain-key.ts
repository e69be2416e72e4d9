import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain becomes keyed (HMAC-SHA-256). A migration cannot compute the new hashes (the
 * key is kept out of the database), so existing chains are marked `keyed = false` and re-hashed
 * once by the server at start (audit-log/audit-chain-upgrade.ts); chains created from now on are
 * keyed from their first event. The retention anchor (last sequence removed, its hash and a MAC
 * over both) lets verification tell retention from a deleted head.
 */
export class AuditChainKey1732251500000 implements MigrationInterface {
  name = 'AuditChainKey1732251500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_chain_heads
        ADD COLUMN keyed boolean NOT NULL DEFAULT false,
        ADD COLUMN trimmed_through bigint NOT NULL DEFAULT 0,
        ADD COLUMN trimmed_hash text NOT NULL DEFAULT repeat('0', 64),
        ADD COLUMN anchor_mac text;
      ALTER TABLE audit_chain_heads ALTER COLUMN keyed SET DEFAULT true;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_chain_heads DROP COLUMN keyed, DROP COLUMN trimmed_through, DROP COLUMN trimmed_hash,
        DROP COLUMN anchor_mac;
    `);
  }
}
