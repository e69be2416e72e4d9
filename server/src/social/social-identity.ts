import { SOCIAL_PROVIDERS, SSO_FAILURES, isSocialProviderId, type SocialProviderId } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { openPending, sealPending } from '../auth/pending-flow';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import type { UserEntity } from '../user/user.entity';
import { IdentityProviderEntity, UserIdentityEntity } from '../identity-provider/identity-provider.entity';
import { SocialIdentityEntity } from './social-identity.entity';

/** A provider's account waiting to be connected once the person proves the Gatehouse account of its email. */
export type PendingLink = SocialLink | SsoLink;

export interface SocialLink {
  provider: SocialProviderId;
  subject: string;
  email: string;
}

/** An organization's identity provider account, kept in user_identities like every single sign-on identity. */
export interface SsoLink {
  provider: 'sso';
  identityProviderId: string;
  subject: string;
  email: string;
}

const LINK_PURPOSE = 'identity-link';
const LINK_LIFETIME_MS = 15 * 60_000;

export function sealLink(ctx: RequestContext, link: PendingLink): string {
  return sealPending(ctx, LINK_PURPOSE, link);
}

/** The link a sign-in carries; refused before the password is even checked when it is not one of ours or too old. */
export function openLink(ctx: RequestContext, token: string): PendingLink {
  const link = openPending<PendingLink>(ctx, LINK_PURPOSE, token, LINK_LIFETIME_MS);
  if (!link || !(isSocialProviderId(link.provider) || link.provider === 'sso')) {
    throw AppError.badInput(
      'linkToken',
      'This link to connect a sign-in method has expired. Start again from the provider.',
    );
  }
  return link;
}

export const CONNECT_CONFLICTS = {
  social_identities_pkey: () => AppError.conflict(SSO_FAILURES.identity_in_use),
  social_identities_provider_user_key: () => AppError.conflict(SSO_FAILURES.already_connected),
};

/** Stores the identity; the constraints say what is already taken (by provider and subject, or provider and user). */
export async function insertIdentity(
  tx: Transaction,
  userId: string,
  link: SocialLink,
  conflicts: Record<string, () => AppError> = CONNECT_CONFLICTS,
): Promise<void> {
  await withConstraints(
    () =>
      tx.insert(SocialIdentityEntity, {
        provider: link.provider,
        subject: link.subject,
        userId,
        email: link.email,
        lastSignInAt: new Date(),
      }),
    conflicts,
  );
}

/**
 * Connects the provider's account to a user who proved the account in this flow (its password,
 * or a session of their own). Connecting it again to the same user changes nothing.
 */
export async function connectIdentity(
  ctx: RequestContext,
  tx: Transaction,
  user: UserEntity,
  link: PendingLink,
  conflicts: Record<string, () => AppError> = CONNECT_CONFLICTS,
): Promise<void> {
  let method: string;
  if (link.provider === 'sso') {
    const connected = await connectSsoIdentity(tx, user, link);
    if (!connected) return;
    method = connected;
  } else {
    const existing = await tx.findOneBy(SocialIdentityEntity, { provider: link.provider, subject: link.subject });
    if (existing?.userId === user.id) return;
    await insertIdentity(tx, user.id, link, conflicts);
    method = SOCIAL_PROVIDERS[link.provider];
  }
  await record(ctx, tx, {
    category: 'USER_ACTIONS',
    action: 'user.signInMethodConnected',
    target: { type: 'user', id: user.id, name: user.displayName },
    changes: { signInMethod: { before: null, after: method } },
  });
}

const SSO_CONNECT_CONFLICTS = {
  user_identities_pkey: () => AppError.conflict(SSO_FAILURES.identity_in_use),
  user_identities_identity_provider_id_user_id_key: () => AppError.conflict(SSO_FAILURES.already_connected),
};

/**
 * Stores the identity provider's account for the user; answers the provider's name, or null when
 * it was connected to this user already. The provider row is shared-locked so it cannot be
 * disabled or deleted meanwhile; its next sign-in applies the domain checks and mappings as always.
 */
async function connectSsoIdentity(tx: Transaction, user: UserEntity, link: SsoLink): Promise<string | null> {
  const provider = await tx.findOne(IdentityProviderEntity, {
    where: { id: link.identityProviderId },
    lock: { mode: 'pessimistic_read' },
  });
  if (!provider?.enabled) throw AppError.conflict(SSO_FAILURES.provider_unavailable);
  const existing = await tx.findOneBy(UserIdentityEntity, {
    identityProviderId: provider.id,
    subject: link.subject,
  });
  if (existing?.userId === user.id) return null;
  await withConstraints(
    () =>
      tx.query(
        `INSERT INTO user_identities (identity_provider_id, subject, user_id, groups, last_sign_in_at)
         VALUES ($1, $2, $3, '{}', now())`,
        [provider.id, link.subject, user.id],
      ),
    SSO_CONNECT_CONFLICTS,
  );
  return provider.name;
}
