import { Issuer, custom, generators, type BaseClient, type IdTokenClaims } from 'openid-client';
import type { SocialProviderId } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import type { SocialProviderConfig } from '../kernel/config';
import { normalizeEmail } from '../auth/auth.service';
import {
  SsoFailure,
  TENANT_PLACEHOLDER,
  discover,
  oauthError,
  providerFailure,
} from '../identity-provider/sso.service';
import { OutboundError, outboundRequest, outboundPolicy } from '../outbound/outbound';

/** What the browser keeps, sealed, while it is at the provider (see auth/pending-flow.ts). */
export interface PendingSocialSignIn {
  provider: SocialProviderId;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Set when a signed-in person connects the provider to their account. */
  connectUserId?: string;
}

/** The person as the provider vouches for them: a stable subject and a verified email. */
export interface ProviderProfile {
  subject: string;
  email: string;
  firstName: string;
  lastName: string;
}

interface SocialProvider {
  settings(ctx: RequestContext): SocialProviderConfig;
  authorizationUrl(ctx: RequestContext, pending: PendingSocialSignIn): Promise<string>;
  profile(ctx: RequestContext, pending: PendingSocialSignIn, callbackUrl: string): Promise<ProviderProfile>;
}

export const socialRedirectUri = (ctx: RequestContext, provider: SocialProviderId) =>
  `${ctx.config.publicUrl}/api/auth/${provider}/callback`;

const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 100) : '');

function oidcClient(ctx: RequestContext, issuer: Issuer<BaseClient>, provider: SocialProviderId): BaseClient {
  const { clientId, clientSecret } = PROVIDERS[provider].settings(ctx);
  const client = new issuer.Client({
    client_id: clientId!,
    client_secret: clientSecret!,
    redirect_uris: [socialRedirectUri(ctx, provider)],
    response_types: ['code'],
  });
  client[custom.http_options] = issuer[custom.http_options];
  return client;
}

function oidcAuthorizationUrl(client: BaseClient, pending: PendingSocialSignIn): string {
  return client.authorizationUrl({
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: generators.codeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  });
}

function oidcProfile(claims: IdTokenClaims, subject: string, emailVerified: boolean): ProviderProfile {
  const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : '';
  if (!email.includes('@') || !emailVerified) throw new SsoFailure('email_missing');
  return {
    subject,
    email,
    firstName: text(claims.given_name) || text(claims.name),
    lastName: text(claims.family_name),
  };
}

function callbackParams(client: BaseClient, pending: PendingSocialSignIn, callbackUrl: string) {
  const params = client.callbackParams(callbackUrl);
  if (params.error) throw new SsoFailure('denied', `provider answered ${oauthError(params.error)}`);
  if (params.state !== pending.state) throw new SsoFailure('rejected', 'rejected: state mismatch');
  return params;
}

/** Microsoft's tenant of a personal account (outlook.com and the like), whose emails Microsoft verified. */
const MICROSOFT_CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** The `tid` an ID token names, read before its signature is checked: it only picks the issuer to check it against. */
function claimedTenant(idToken: unknown): string {
  try {
    const payload = JSON.parse(Buffer.from(String(idToken).split('.')[1], 'base64url').toString('utf8'));
    if (typeof payload.tid === 'string' && /^[\w.-]{1,64}$/.test(payload.tid)) return payload.tid;
  } catch {
    // Fall through: a token without a readable tid is refused below.
  }
  throw new SsoFailure('rejected', 'rejected: no tenant in the ID token');
}

const PROVIDERS: Record<SocialProviderId, SocialProvider> = {
  google: {
    settings: (ctx) => ctx.config.social.google,
    async authorizationUrl(ctx, pending) {
      const issuer = await discover(ctx, ctx.config.social.google.issuer);
      return oidcAuthorizationUrl(oidcClient(ctx, issuer, 'google'), pending);
    },
    async profile(ctx, pending, callbackUrl) {
      const client = oidcClient(ctx, await discover(ctx, ctx.config.social.google.issuer), 'google');
      const params = callbackParams(client, pending, callbackUrl);
      let claims: IdTokenClaims;
      try {
        const tokens = await client.callback(socialRedirectUri(ctx, 'google'), params, {
          state: pending.state,
          nonce: pending.nonce,
          code_verifier: pending.codeVerifier,
          response_type: 'code',
        });
        claims = tokens.claims();
      } catch (error) {
        throw providerFailure(error);
      }
      return oidcProfile(claims, claims.sub, claims.email_verified === true);
    },
  },

  microsoft: {
    settings: (ctx) => ctx.config.social.microsoft,
    async authorizationUrl(ctx, pending) {
      const { authority, issuer } = ctx.config.social.microsoft;
      return oidcAuthorizationUrl(oidcClient(ctx, await discover(ctx, authority, issuer), 'microsoft'), pending);
    },
    /**
     * The multi-tenant endpoint serves every tenant, so its metadata names an issuer template.
     * The code is exchanged first; the ID token is then verified (signature, audience, nonce,
     * expiry) against the issuer of the tenant it names, so a token whose `iss` is not its own
     * tenant's issuer is refused.
     */
    async profile(ctx, pending, callbackUrl) {
      const { authority, issuer: template } = ctx.config.social.microsoft;
      const common = await discover(ctx, authority, template);
      const params = callbackParams(oidcClient(ctx, common, 'microsoft'), pending, callbackUrl);
      let claims: IdTokenClaims;
      try {
        const tokens = await oidcClient(ctx, common, 'microsoft').grant({
          grant_type: 'authorization_code',
          code: params.code,
          redirect_uri: socialRedirectUri(ctx, 'microsoft'),
          code_verifier: pending.codeVerifier,
        });
        const tenantIssuer = new Issuer({
          ...common.metadata,
          issuer: template.replace(TENANT_PLACEHOLDER, claimedTenant(tokens.id_token)),
        });
        tenantIssuer[custom.http_options] = common[custom.http_options];
        const verified = await oidcClient(ctx, tenantIssuer, 'microsoft').callback(
          socialRedirectUri(ctx, 'microsoft'),
          { id_token: tokens.id_token, state: params.state, ...(params.iss ? { iss: params.iss } : {}) },
          { state: pending.state, nonce: pending.nonce },
        );
        claims = verified.claims();
      } catch (error) {
        throw providerFailure(error);
      }
      // Microsoft's `email` is whatever the tenant's admin typed unless Microsoft vouches for it
      // (email_verified, or the xms_edov optional claim), or the account is a personal one.
      const vouched =
        claims.email_verified === true || claims.xms_edov === true || claims.tid === MICROSOFT_CONSUMER_TENANT;
      return oidcProfile(claims, `${claims.tid}:${claims.sub}`, vouched);
    },
  },

  github: {
    settings: (ctx) => ctx.config.social.github,
    async authorizationUrl(ctx, pending) {
      const { baseUrl, clientId } = ctx.config.social.github;
      const url = new URL(`${baseUrl.replace(/\/+$/, '')}/login/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId!,
        redirect_uri: socialRedirectUri(ctx, 'github'),
        scope: 'read:user user:email',
        state: pending.state,
        code_challenge: generators.codeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        allow_signup: 'false',
      }).toString();
      return url.href;
    },
    async profile(ctx, pending, callbackUrl) {
      const { baseUrl, apiUrl, clientId, clientSecret } = ctx.config.social.github;
      const params = new URL(callbackUrl, ctx.config.publicUrl).searchParams;
      if (params.get('error')) throw new SsoFailure('denied', `provider answered ${oauthError(params.get('error'))}`);
      if (params.get('state') !== pending.state) throw new SsoFailure('rejected', 'rejected: state mismatch');
      try {
        const token = await githubJson(ctx, `${baseUrl.replace(/\/+$/, '')}/login/oauth/access_token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: clientId!,
            client_secret: clientSecret!,
            code: params.get('code') ?? '',
            redirect_uri: socialRedirectUri(ctx, 'github'),
            code_verifier: pending.codeVerifier,
          }).toString(),
        });
        const accessToken = (token as { access_token?: unknown }).access_token;
        if (typeof accessToken !== 'string' || !accessToken) {
          throw new SsoFailure(
            'rejected',
            `rejected: provider error ${oauthError((token as { error?: unknown }).error)}`,
          );
        }
        const api = (path: string) =>
          githubJson(ctx, `${apiUrl.replace(/\/+$/, '')}${path}`, {
            headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json' },
          });
        const user = (await api('/user')) as { id?: unknown; name?: unknown };
        const emails = await api('/user/emails');
        if (typeof user.id !== 'number' || !Array.isArray(emails)) throw new OutboundError('BAD_RESPONSE');
        // Only the primary address, and only once GitHub has verified it: anyone can add any address to an account.
        const primary = emails.find((entry) => entry?.primary === true);
        if (!primary || primary.verified !== true || typeof primary.email !== 'string') {
          throw new SsoFailure('email_missing', 'GitHub has no verified primary email');
        }
        const [firstName, ...rest] = text(user.name).split(/\s+/);
        return {
          subject: String(user.id),
          email: normalizeEmail(primary.email),
          firstName: firstName ?? '',
          lastName: rest.join(' '),
        };
      } catch (error) {
        throw providerFailure(error);
      }
    },
  },
};

/** A JSON answer of GitHub, through the outbound client like every call to a provider. */
async function githubJson(
  ctx: RequestContext,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<unknown> {
  const response = await outboundRequest(url, outboundPolicy(ctx.config), {
    ...init,
    // GitHub refuses requests without a User-Agent.
    headers: { accept: 'application/json', 'user-agent': 'Gatehouse', ...init.headers },
  });
  if (response.status !== 200) throw new OutboundError('BAD_RESPONSE');
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new OutboundError('BAD_RESPONSE');
  }
}

export function socialProviderEnabled(ctx: RequestContext, provider: SocialProviderId): boolean {
  const { clientId, clientSecret } = PROVIDERS[provider].settings(ctx);
  return Boolean(clientId && clientSecret);
}

export function socialProvider(provider: SocialProviderId): SocialProvider {
  return PROVIDERS[provider];
}
