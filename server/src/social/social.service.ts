import { generators } from 'openid-client';
import { SOCIAL_PROVIDERS, isSocialProviderId, type SocialProviderId } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record, userActor } from '../audit-log/audit-log.service';
import { createAccountWithOrganization, ssoRequiredFor } from '../auth/auth.service';
import { sessionAuthState } from '../auth/membership-loader';
import { openPending, sealPending } from '../auth/pending-flow';
import { requireAuthorizedEmailDomain, requireInteractiveSession } from '../auth/policies';
import { startSession } from '../auth/session.service';
import { getViewer } from '../auth/viewer.service';
import type { Viewer } from '../auth/viewer.types';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { SsoFailure } from '../identity-provider/sso.service';
import { joinInvitation, pendingInvitationFor } from '../invitation/invitation.service';
import { mostRecentMembership } from '../organization/membership.service';
import { OrganizationEntity } from '../organization/organization.entity';
import { UserEntity } from '../user/user.entity';
import { SocialIdentityEntity } from './social-identity.entity';
import { connectIdentity, insertIdentity, sealLink, type SocialLink } from './social-identity';
import {
  socialProvider,
  socialProviderEnabled,
  type PendingSocialSignIn,
  type ProviderProfile,
} from './social-providers';
import type { ProviderSignUpInput } from './social.inputs';
import { ConnectedSignInMethod, SignInMethod } from './social.types';

/** How long a started sign-in may take at the provider, and a finished one may wait for its sign-up form. */
export const SOCIAL_ATTEMPT_LIFETIME_MS = 10 * 60_000;
const SIGN_UP_PURPOSE = 'social-sign-up';
const SIGN_UP_LIFETIME_MS = 30 * 60_000;

/** The installation's enabled providers, for the sign-in and sign-up pages. */
export function signInMethods(ctx: RequestContext): SignInMethod[] {
  return (Object.keys(SOCIAL_PROVIDERS) as SocialProviderId[])
    .filter((provider) => socialProviderEnabled(ctx, provider))
    .map((provider) =>
      Object.assign(new SignInMethod(), {
        id: provider,
        name: SOCIAL_PROVIDERS[provider],
        startUrl: `/api/auth/${provider}/start`,
      }),
    );
}

function enabledProvider(ctx: RequestContext, provider: unknown): SocialProviderId {
  if (!isSocialProviderId(provider) || !socialProviderEnabled(ctx, provider)) throw new SsoFailure('not_enabled');
  return provider;
}

/**
 * Starts the authorization-code flow with PKCE (S256), a state and a nonce, all random per
 * attempt. `connect`: a signed-in person adds the provider to their own account.
 */
export async function beginSocialSignIn(
  ctx: RequestContext,
  providerId: unknown,
  connect: boolean,
): Promise<{ authorizationUrl: string; pending: PendingSocialSignIn }> {
  const provider = enabledProvider(ctx, providerId);
  if (connect && !ctx.auth?.sessionId) throw new SsoFailure('expired', 'connecting needs a signed-in browser session');
  const pending: PendingSocialSignIn = {
    provider,
    state: generators.state(),
    nonce: generators.nonce(),
    codeVerifier: generators.codeVerifier(),
    ...(connect ? { connectUserId: ctx.auth!.user.id } : {}),
  };
  return { authorizationUrl: await socialProvider(provider).authorizationUrl(ctx, pending), pending };
}

/** A refused sign-in, in the installation's log (the person may belong to no organization yet). */
async function recordFailedSignIn(ctx: RequestContext, provider: SocialProviderId, error: unknown, user?: UserEntity) {
  const detail =
    error instanceof SsoFailure ? error.detail : error instanceof AppError ? error.message : 'unexpected error';
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
      organizationId: null,
      category: 'USER_ACTIONS',
      action: 'user.signInFailed',
      outcome: 'FAILURE',
      failureReason: `${provider}: ${detail}`.slice(0, 500),
      actor: user ? userActor(user) : { type: 'ANONYMOUS', id: null, name: SOCIAL_PROVIDERS[provider] },
      target: user ? { type: 'user', id: user.id, name: user.displayName } : undefined,
    }),
  );
}

/**
 * Finishes the flow and answers where the browser goes next: signed in ("/"), to the sign-in
 * page to prove an existing account before it is linked, or to the sign-up page to name a
 * new organization. A provider's account is found by its subject only; its email never signs
 * anyone into an existing account.
 */
export async function completeSocialSignIn(
  ctx: RequestContext,
  pending: PendingSocialSignIn,
  callbackUrl: string,
): Promise<string> {
  const provider = enabledProvider(ctx, pending.provider);
  let user: UserEntity | undefined;
  try {
    const profile = await socialProvider(provider).profile(ctx, pending, callbackUrl);
    if (pending.connectUserId) return await connectToSignedInUser(ctx, provider, pending.connectUserId, profile);
    const identity = await ctx.db.manager.findOneBy(SocialIdentityEntity, { provider, subject: profile.subject });
    if (identity) {
      user = await ctx.db.manager.findOneByOrFail(UserEntity, { id: identity.userId });
      await signInLinkedUser(ctx, provider, user);
      return '/';
    }
    if (await ssoRequiredFor(ctx.db.manager, { id: '', email: profile.email }, false)) {
      throw new SsoFailure('sso_required');
    }
    const link: SocialLink = { provider, subject: profile.subject, email: profile.email };
    if (await ctx.db.manager.existsBy(UserEntity, { email: profile.email })) {
      // The email is a claim, not proof: the account's owner signs in with its password to link it.
      return `/signin?${new URLSearchParams({ link: sealLink(ctx, link), email: profile.email })}`;
    }
    if (await joinedByInvitation(ctx, link, profile)) return '/';
    const signUp = sealPending(ctx, SIGN_UP_PURPOSE, {
      ...link,
      firstName: profile.firstName,
      lastName: profile.lastName,
    });
    return `/signup?${new URLSearchParams({ provider_signup: signUp })}`;
  } catch (error) {
    await recordFailedSignIn(ctx, provider, error, user);
    throw error;
  }
}

async function signInLinkedUser(ctx: RequestContext, provider: SocialProviderId, user: UserEntity): Promise<void> {
  // An organization may have required single sign-on since the identity was linked.
  if (await ssoRequiredFor(ctx.db.manager, { id: user.id, email: user.email ?? '' }, false)) {
    throw new SsoFailure('sso_required');
  }
  const membership = await mostRecentMembership(ctx.db.manager, user.id);
  if (!membership) throw new SsoFailure('no_organization');
  await ctx.db.transaction(async (tx) => {
    await tx.update(SocialIdentityEntity, { provider, userId: user.id }, { lastSignInAt: new Date() });
    const session = await startSession(ctx, tx, user.id, membership.organizationId);
    ctx.auth = sessionAuthState(membership, session.id);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signedInWithProvider',
      target: { type: 'user', id: user.id, name: user.displayName },
      changes: { signInMethod: { before: null, after: SOCIAL_PROVIDERS[provider] } },
    });
  });
}

const SOCIAL_CONNECT_CONFLICTS = {
  social_identities_pkey: () => new SsoFailure('identity_in_use'),
  social_identities_provider_user_key: () => new SsoFailure('already_connected'),
};

/** Connect from Profile: the session that started the flow is the proof, and must still be this one. */
async function connectToSignedInUser(
  ctx: RequestContext,
  provider: SocialProviderId,
  userId: string,
  profile: ProviderProfile,
): Promise<string> {
  if (ctx.auth?.user.id !== userId || !ctx.auth.sessionId) throw new SsoFailure('expired', 'signed out meanwhile');
  const user = ctx.auth.user;
  await ctx.db.transaction((tx) =>
    connectIdentity(
      ctx,
      tx,
      user,
      { provider, subject: profile.subject, email: profile.email },
      SOCIAL_CONNECT_CONFLICTS,
    ),
  );
  return '/settings/profile';
}

async function newUser(tx: Transaction, link: SocialLink, names: { firstName: string; lastName: string }) {
  return withConstraints(
    () =>
      tx.save(
        tx.create(UserEntity, {
          email: link.email,
          firstName: names.firstName.trim(),
          lastName: names.lastName.trim(),
          passwordHash: null,
        }),
      ),
    { users_email_key: () => AppError.conflict('An account with this email already exists. Sign in instead.') },
  );
}

/** A new person with a pending invitation joins that organization; the provider verified the invited email. */
async function joinedByInvitation(ctx: RequestContext, link: SocialLink, profile: ProviderProfile): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const invitation = await pendingInvitationFor(tx, link.email);
    if (!invitation) return false;
    const organization = await tx.findOneByOrFail(OrganizationEntity, { id: invitation.organizationId });
    requireAuthorizedEmailDomain(organization, link.email, invitation.roleId ?? '', 'email');
    const user = await newUser(tx, link, {
      firstName: profile.firstName || link.email.slice(0, link.email.indexOf('@')),
      lastName: profile.lastName,
    });
    await insertIdentity(tx, user.id, link, SOCIAL_CONNECT_CONFLICTS);
    await joinInvitation(ctx, tx, invitation, user);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signedUp',
      target: { type: 'user', id: user.id, name: user.displayName },
      changes: { signInMethod: { before: null, after: SOCIAL_PROVIDERS[link.provider] } },
    });
    return true;
  });
}

interface PendingSignUp extends SocialLink {
  firstName: string;
  lastName: string;
}

/** The sign-up page's view of a pending social sign-up: who the provider said the person is. */
export function pendingSignUp(ctx: RequestContext, token: string): PendingSignUp | null {
  const pending = openPending<PendingSignUp>(ctx, SIGN_UP_PURPOSE, token, SIGN_UP_LIFETIME_MS);
  return pending && isSocialProviderId(pending.provider) ? pending : null;
}

/** Public: a new person whose provider vouched for them names their organization; no password. */
export async function signUpWithProvider(ctx: RequestContext, input: ProviderSignUpInput): Promise<Viewer> {
  const pending = pendingSignUp(ctx, input.signUpToken);
  if (!pending) throw AppError.badInput('signUpToken', 'This sign-up has expired. Start again from the provider.');
  if (await ssoRequiredFor(ctx.db.manager, { id: '', email: pending.email }, false)) {
    throw AppError.forbidden(new SsoFailure('sso_required').message);
  }
  await ctx.db.transaction(async (tx) => {
    const user = await createAccountWithOrganization(
      ctx,
      tx,
      { email: pending.email, firstName: input.firstName, lastName: input.lastName, passwordHash: null },
      input.organizationName,
    );
    await insertIdentity(tx, user.id, pending, SOCIAL_CONNECT_CONFLICTS);
  });
  return (await getViewer(ctx))!;
}

/** The caller's ways in besides a password: social identities and single sign-on. */
export async function connectedSignInMethods(ctx: RequestContext): Promise<ConnectedSignInMethod[]> {
  const auth = requireInteractiveSession(ctx);
  const rows: { provider: string; name: string; email: string | null; created_at: Date; last_sign_in_at: Date }[] =
    await ctx.db.query(
      `SELECT provider, NULL AS name, email, created_at, last_sign_in_at FROM social_identities WHERE user_id = $1
       UNION ALL
       SELECT 'sso', p.name, NULL, ui.created_at, ui.last_sign_in_at
         FROM user_identities ui JOIN identity_providers p ON p.id = ui.identity_provider_id
        WHERE ui.user_id = $1
       ORDER BY created_at`,
      [auth.user.id],
    );
  return rows.map((row) =>
    Object.assign(new ConnectedSignInMethod(), {
      provider: row.provider,
      name: isSocialProviderId(row.provider) ? SOCIAL_PROVIDERS[row.provider] : row.name,
      email: row.email,
      connectedAt: row.created_at,
      lastUsedAt: row.last_sign_in_at,
    }),
  );
}

/** Removes a social identity unless it is the last way in (no password, no other identity). */
export async function disconnectSignInMethod(
  ctx: RequestContext,
  provider: SocialProviderId,
): Promise<ConnectedSignInMethod[]> {
  const auth = requireInteractiveSession(ctx);
  await ctx.db.transaction(async (tx) => {
    // The user row orders concurrent disconnects: two of them cannot each leave the other as the last way in.
    const [user]: { has_password: boolean }[] = await tx.query(
      'SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = $1 FOR UPDATE',
      [auth.user.id],
    );
    const identity = await tx.findOneBy(SocialIdentityEntity, { provider, userId: auth.user.id });
    if (!identity) throw AppError.notFound('Sign-in method');
    const [{ others }]: { others: number }[] = await tx.query(
      `SELECT (SELECT count(*) FROM social_identities WHERE user_id = $1 AND provider <> $2)
            + (SELECT count(*) FROM user_identities WHERE user_id = $1) AS others`,
      [auth.user.id, provider],
    );
    if (!user.has_password && Number(others) === 0) {
      throw AppError.conflict(
        `${SOCIAL_PROVIDERS[provider]} is your only way to sign in. Connect another sign-in method first.`,
      );
    }
    await tx.delete(SocialIdentityEntity, { provider, userId: auth.user.id });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signInMethodDisconnected',
      target: { type: 'user', id: auth.user.id, name: auth.user.displayName },
      changes: { signInMethod: { before: SOCIAL_PROVIDERS[provider], after: null } },
    });
  });
  return connectedSignInMethods(ctx);
}
