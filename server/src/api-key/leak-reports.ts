import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Request, Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { queueEmail } from '../mail/mail.service';
import { generateApiKeySecret, hashApiKeySecret, maskApiKey } from './api-key-secret';

/** One match in GitHub's secret-scanning partner format. */
interface LeakMatch {
  token: string;
  type: string;
  url: string;
  source: string;
}

/** GitHub's token feedback: ours and now revoked, or not a key of ours. */
interface LeakLabel {
  token_hash: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

const MAX_MATCHES = 1000;

/**
 * The signature GitHub sends: ECDSA (SHA-256) over the raw body, by the public key named in
 * `Github-Public-Key-Identifier`, which must be one of SECRET_SCANNING_PUBLIC_KEYS.
 */
export function verifyLeakReportSignature(
  publicKeys: Record<string, string>,
  keyId: string | undefined,
  signature: string | undefined,
  body: Buffer,
): boolean {
  const pem = keyId ? publicKeys[keyId] : undefined;
  if (!pem || !signature) return false;
  try {
    return verify('sha256', body, createPublicKey(pem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function parseMatches(body: Buffer): LeakMatch[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw AppError.badInput('body', 'The report is not JSON.');
  }
  if (!Array.isArray(parsed) || parsed.length > MAX_MATCHES) {
    throw AppError.badInput('body', `The report must be an array of at most ${MAX_MATCHES} matches.`);
  }
  return parsed.map((item: Record<string, unknown>) => {
    if (!item || typeof item.token !== 'string') throw AppError.badInput('token', 'Each match needs a token.');
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 2000) : '');
    return { token: item.token, type: text(item.type), url: text(item.url), source: text(item.source) };
  });
}

interface LeakedKeyRow {
  id: string;
  organization_id: string;
  name: string;
  is_default: boolean;
  revoked_at: Date | null;
  via_previous_secret: boolean;
  owner_email: string | null;
  owner_kind: string;
}

/**
 * Stops a leaked secret at once: a key is revoked; a default key (never revoked) gets a new
 * secret nobody sees, as rotation would; a rotated-out secret still in its grace period ends.
 * Database triggers announce each change, so every instance's key cache drops it as this commits.
 */
async function stopSecret(tx: Transaction, key: LeakedKeyRow): Promise<void> {
  if (key.via_previous_secret) {
    await tx.query('UPDATE api_keys SET previous_secret_hash = NULL, previous_secret_expires_at = NULL WHERE id = $1', [
      key.id,
    ]);
  } else if (key.is_default) {
    const secret = generateApiKeySecret();
    const { prefix, lastFour } = maskApiKey(secret);
    await tx.query(
      `UPDATE api_keys SET secret_hash = $2, prefix = $3, last_four = $4,
              previous_secret_hash = NULL, previous_secret_expires_at = NULL WHERE id = $1`,
      [key.id, hashApiKeySecret(secret), prefix, lastFour],
    );
  } else {
    await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
  }
}

async function handleMatch(ctx: RequestContext, match: LeakMatch): Promise<LeakLabel> {
  const hash = hashApiKeySecret(match.token);
  const label = (value: LeakLabel['label']): LeakLabel => ({
    token_hash: createHash('sha256').update(match.token).digest('hex'),
    token_type: match.type,
    label: value,
  });
  return ctx.db.transaction(async (tx) => {
    const [key]: LeakedKeyRow[] = await tx.query(
      `SELECT k.id, k.organization_id, k.name, k.is_default, k.revoked_at,
              k.secret_hash <> $1 AS via_previous_secret, u.email AS owner_email, u.kind AS owner_kind
       FROM api_keys k JOIN users u ON u.id = k.owner_id
       WHERE k.secret_hash = $1 OR (k.previous_secret_hash = $1 AND k.previous_secret_expires_at > now())
       FOR UPDATE OF k`,
      [hash],
    );
    if (!key) return label('false_positive');
    if (key.revoked_at) return label('true_positive');
    await stopSecret(tx, key);
    await record(ctx, tx, {
      organizationId: key.organization_id,
      category: 'USER_ACTIONS',
      action: 'apiKey.leaked',
      actor: { type: 'SYSTEM', id: null, name: 'Secret scanning' },
      target: { type: 'apiKey', id: key.id, name: key.name },
      changes: {
        foundAt: { before: null, after: match.url },
        source: { before: null, after: match.source },
        revoked: { before: false, after: !key.is_default },
      },
    });
    await tx.query(
      `INSERT INTO api_key_notices (api_key_id, kind) VALUES ($1, 'LEAKED')
       ON CONFLICT (api_key_id, kind) DO UPDATE SET sent_at = now()`,
      [key.id],
    );
    if (key.owner_email) {
      await queueEmail(tx, {
        to: key.owner_email,
        subject: `Your API key "${key.name}" was found in public and has been stopped`,
        text: [
          `Secret scanning found your Gatehouse API key "${key.name}" at:`,
          match.url || '(no address given)',
          '',
          key.is_default
            ? 'The secret no longer works: the default key was given a new secret. Rotate it to see the new one.'
            : 'The key has been revoked and no longer works. Create a new key for the programs that used it.',
          'Remove the secret from where it was published.',
        ].join('\n'),
      });
    }
    return label('true_positive');
  });
}

/**
 * POST /api/keys/leaked: GitHub's secret-scanning partner endpoint. Public, and protected by the
 * signature instead; an unsigned or forged report changes nothing and answers 401.
 */
export async function receiveLeakReport(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const signed = verifyLeakReportSignature(
    ctx.config.secretScanningPublicKeys,
    req.header('github-public-key-identifier'),
    req.header('github-public-key-signature'),
    body,
  );
  if (!signed) throw AppError.unauthenticated('The report is not signed by a configured secret scanning key.');
  const labels: LeakLabel[] = [];
  for (const match of parseMatches(body)) labels.push(await handleMatch(ctx, match));
  res.json(labels);
}
