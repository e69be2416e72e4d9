import { SOCIAL_PROVIDERS, SSO_FAILURES, isSocialProviderId, type SocialProviderId } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { openPending, sealPending } from '../auth/pending-flow';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import type { UserEntity } from '../user/user.entity';
import { SocialIdentityEntity } from './social-identity.entity';

/** A provider's account waiting to be connected once the person proves the Gatehouse account of its email. */
export interface PendingLink {
  provider: SocialProviderId;
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
  if (!link || !isSocialProviderId(link.provider)) {
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
  link: PendingLink,
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
  const existing = await tx.findOneBy(SocialIdentityEntity, { provider: link.provider, subject: link.subject });
  if (existing?.userId === user.id) return;
  await insertIdentity(tx, user.id, link, conflicts);
  await record(ctx, tx, {
    category: 'USER_ACTIONS',
    action: 'user.signInMethodConnected',
    target: { type: 'user', id: user.id, name: user.displayName },
    changes: { signInMethod: { before: null, after: SOCIAL_PROVIDERS[link.provider] } },
  });
}
