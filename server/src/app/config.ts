import path from 'node:path';

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Config {
  port: number;
  publicUrl: string;
  production: boolean;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  bcryptCost: number;
  signInMaxFailuresPerAccount: number;
  signInMaxFailuresPerIp: number;
  signInWindowSeconds: number;
  clientDist: string;
  /** Express's `trust proxy` setting, so the client IP comes from X-Forwarded-For behind a proxy. */
  trustProxy: string | false;
  smtpUrl: string | undefined;
  mailFrom: string;
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  /** 32 bytes, base64: encrypts stored secrets (see auth/secret-box.ts). */
  secretsKey: string | undefined;
  /** How often the audit retention job runs; 0 turns it off (tests run it by hand). */
  auditRetentionIntervalSeconds: number;
}

export function loadConfig(): Config {
  const port = integer('PORT', 4000);
  return {
    port,
    // Follows PORT, so links in emails and the SSO redirect URI reach this server when only PORT is set.
    publicUrl: process.env.PUBLIC_URL || `http://localhost:${port}`,
    production: process.env.NODE_ENV === 'production',
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(PROJECT_ROOT, process.env.DATA_DIR ?? '.data'),
    embeddedPostgresPort: integer('EMBEDDED_POSTGRES_PORT', 54329),
    bcryptCost: integer('BCRYPT_COST', 12),
    signInMaxFailuresPerAccount: integer('SIGN_IN_MAX_FAILURES_PER_ACCOUNT', 5),
    signInMaxFailuresPerIp: integer('SIGN_IN_MAX_FAILURES_PER_IP', 50),
    signInWindowSeconds: integer('SIGN_IN_WINDOW_SECONDS', 900),
    clientDist: path.resolve(PROJECT_ROOT, 'client', 'dist'),
    trustProxy: process.env.TRUST_PROXY || false,
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM ?? 'Gatehouse <no-reply@gatehouse.local>',
    graphqlMaxDepth: integer('GRAPHQL_MAX_DEPTH', 10),
    graphqlMaxAliases: integer('GRAPHQL_MAX_ALIASES', 15),
    secretsKey: process.env.SECRETS_KEY || undefined,
    auditRetentionIntervalSeconds: integer('AUDIT_RETENTION_INTERVAL_SECONDS', 3600),
  };
}
