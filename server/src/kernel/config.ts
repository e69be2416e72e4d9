import { Resolver } from 'node:dns';
import path from 'node:path';

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

/** DNS_SERVERS: comma-separated `ip` or `ip:port` (`[ipv6]:port`); refused at start if Node cannot use them. */
function dnsServers(): string[] {
  const servers = (process.env.DNS_SERVERS ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  try {
    new Resolver().setServers(servers);
  } catch {
    throw new Error(`DNS_SERVERS must be IP addresses with an optional port, got "${process.env.DNS_SERVERS}"`);
  }
  return servers;
}

function secretScanningPublicKeys(): Record<string, string> {
  const raw = process.env.SECRET_SCANNING_PUBLIC_KEYS;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Object.values(parsed).some((pem) => typeof pem !== 'string')) {
    throw new Error('SECRET_SCANNING_PUBLIC_KEYS must be a JSON object of key identifier to PEM public key');
  }
  return parsed as Record<string, string>;
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
  /** Failures one client address may make against one account before that pair is refused. */
  signInMaxFailuresPerAccountAndIp: number;
  /** The higher ceiling for one account across all addresses (a distributed guesser). */
  signInMaxFailuresPerAccount: number;
  signInMaxFailuresPerIp: number;
  signInWindowSeconds: number;
  /** Failures of one (account, address) pair before each next attempt waits 1s, 2s, 4s… */
  signInDelayAfterFailures: number;
  signInMaxDelaySeconds: number;
  clientDist: string;
  /** Express's `trust proxy` setting, so the client IP comes from X-Forwarded-For behind a proxy. */
  trustProxy: string | false;
  smtpUrl: string | undefined;
  mailFrom: string;
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  /** The most an operation may cost, counting each list's rows (see app/query-cost.ts). */
  graphqlMaxCost: number;
  /** 32 bytes, base64: encrypts stored secrets (see auth/secret-box.ts). */
  secretsKey: string | undefined;
  /** 32 bytes or more, base64: keys the audit hash chain (see audit-log/audit-chain.ts); else derived from secretsKey. */
  auditChainKey: string | undefined;
  /**
   * On SIGTERM, how long readiness reports 503 (while requests are still served) before the
   * listener closes: the time a load balancer needs to stop sending new connections.
   */
  shutdownDelaySeconds: number;
  /** DEV_OUTBOX=true: emails readable at GET /dev/outbox (only without SMTP_URL, outside production; see devOutboxEnabled). */
  devOutbox: boolean;
  /** Serve GET /metrics on this port only (a separate listener) instead of the main one. */
  metricsPort: number | undefined;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; unset and without METRICS_PORT: loopback only. */
  metricsToken: string | undefined;
  /** Lets outbound calls (identity providers) reach private and loopback addresses, also over plain HTTP. */
  allowPrivateNetwork: boolean;
  /** The DNS servers that domain verification asks; empty means the system's resolvers. */
  dnsServers: string[];
  /** JOBS=false: this instance serves requests but runs no background jobs (graphile-worker). */
  jobs: boolean;
  /** JOB_CONCURRENCY: background jobs this instance runs at once. */
  jobConcurrency: number;
  /** JOB_TASKS: comma-separated task names this instance runs (unset: every task), e.g. a pool of deliverers. */
  jobTasks: string[] | null;
  /** REDIS_URL: API key rate limits are counted in Redis; unset, in PostgreSQL by leases (api-key/rate-limit.ts). */
  redisUrl: string | undefined;
  /** How often API key last-used times and usage counts are written (API_KEY_USAGE_FLUSH_SECONDS, default 60). */
  apiKeyUsageFlushSeconds: number;
  /**
   * SECRET_SCANNING_PUBLIC_KEYS: the PEM public keys leak reports (POST /api/keys/leaked) must be
   * signed with, as a JSON object of key identifier to PEM; empty refuses every report.
   */
  secretScanningPublicKeys: Record<string, string>;
  /** Sign-in with Google, Microsoft and GitHub: each is on when its client id and secret are set (see social/social-providers.ts). */
  social: SocialConfig;
  /**
   * BENCH_AUDIT_CHAIN=off, for `pnpm bench` only: audit events are written without their
   * hash-chain link (no chain-head row, no hash), so the bench can measure what the chain costs.
   * Such a log cannot be verified; the server logs a warning at start.
   */
  benchAuditChainOff: boolean;
}

export interface SocialProviderConfig {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export interface SocialConfig {
  google: SocialProviderConfig & { issuer: string };
  /** `authority` serves the discovery document; `issuer` is the template tokens are checked against, `{tenantid}` their tid. */
  microsoft: SocialProviderConfig & { authority: string; issuer: string };
  github: SocialProviderConfig & { baseUrl: string; apiUrl: string };
}

const env = (name: string) => process.env[name] || undefined;

export function loadConfig(): Config {
  const production = process.env.NODE_ENV === 'production';
  const port = integer('PORT', 4000);
  return {
    port,
    // Follows PORT, so links in emails and the SSO redirect URI reach this server when only PORT is set.
    publicUrl: process.env.PUBLIC_URL || `http://localhost:${port}`,
    production,
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(PROJECT_ROOT, process.env.DATA_DIR ?? '.data'),
    embeddedPostgresPort: integer('EMBEDDED_POSTGRES_PORT', 54329),
    bcryptCost: integer('BCRYPT_COST', 12),
    signInMaxFailuresPerAccountAndIp: integer('SIGN_IN_MAX_FAILURES_PER_ACCOUNT_AND_IP', 10),
    signInMaxFailuresPerAccount: integer('SIGN_IN_MAX_FAILURES_PER_ACCOUNT', 30),
    signInMaxFailuresPerIp: integer('SIGN_IN_MAX_FAILURES_PER_IP', 50),
    signInWindowSeconds: integer('SIGN_IN_WINDOW_SECONDS', 900),
    signInDelayAfterFailures: integer('SIGN_IN_DELAY_AFTER_FAILURES', 3),
    signInMaxDelaySeconds: integer('SIGN_IN_MAX_DELAY_SECONDS', 60),
    clientDist: path.resolve(PROJECT_ROOT, 'client', 'dist'),
    trustProxy: process.env.TRUST_PROXY || false,
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM ?? 'Gatehouse <no-reply@gatehouse.local>',
    graphqlMaxDepth: integer('GRAPHQL_MAX_DEPTH', 10),
    graphqlMaxAliases: integer('GRAPHQL_MAX_ALIASES', 15),
    graphqlMaxCost: integer('GRAPHQL_MAX_COST', 200000),
    secretsKey: process.env.SECRETS_KEY || undefined,
    auditChainKey: process.env.AUDIT_CHAIN_KEY || undefined,
    // Nothing routes around a development server: stopping it should be immediate.
    shutdownDelaySeconds: integer('SHUTDOWN_DELAY_SECONDS', production ? 5 : 0),
    devOutbox: process.env.DEV_OUTBOX === 'true',
    metricsPort: process.env.METRICS_PORT ? integer('METRICS_PORT', 0) : undefined,
    metricsToken: process.env.METRICS_TOKEN || undefined,
    allowPrivateNetwork: process.env.ALLOW_PRIVATE_NETWORK === 'true',
    dnsServers: dnsServers(),
    jobs: process.env.JOBS !== 'false',
    jobConcurrency: integer('JOB_CONCURRENCY', 4),
    jobTasks: process.env.JOB_TASKS
      ? process.env.JOB_TASKS.split(',')
          .map((task) => task.trim())
          .filter(Boolean)
      : null,
    redisUrl: env('REDIS_URL'),
    apiKeyUsageFlushSeconds: integer('API_KEY_USAGE_FLUSH_SECONDS', 60),
    secretScanningPublicKeys: secretScanningPublicKeys(),
    benchAuditChainOff: process.env.BENCH_AUDIT_CHAIN === 'off',
    social: {
      google: {
        clientId: env('GOOGLE_CLIENT_ID'),
        clientSecret: env('GOOGLE_CLIENT_SECRET'),
        issuer: env('GOOGLE_ISSUER') ?? 'https://accounts.google.com',
      },
      microsoft: {
        clientId: env('MICROSOFT_CLIENT_ID'),
        clientSecret: env('MICROSOFT_CLIENT_SECRET'),
        authority: env('MICROSOFT_AUTHORITY') ?? 'https://login.microsoftonline.com/common/v2.0',
        issuer: env('MICROSOFT_ISSUER') ?? 'https://login.microsoftonline.com/{tenantid}/v2.0',
      },
      github: {
        clientId: env('GITHUB_CLIENT_ID'),
        clientSecret: env('GITHUB_CLIENT_SECRET'),
        baseUrl: env('GITHUB_BASE_URL') ?? 'https://github.com',
        apiUrl: env('GITHUB_API_URL') ?? 'https://api.github.com',
      },
    },
  };
}

/** The dev outbox keeps reset and invitation links readable: only when asked for, and never beside real delivery. */
export function devOutboxEnabled(config: Config): boolean {
  return config.devOutbox && !config.smtpUrl && !config.production;
}
