import type { Request, Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { takePendingCookie, setPendingCookie, type PendingCookie } from '../auth/pending-flow';
import { SsoFailure } from '../identity-provider/sso.service';
import { SOCIAL_ATTEMPT_LIFETIME_MS, beginSocialSignIn, completeSocialSignIn } from './social.service';
import type { PendingSocialSignIn } from './social-providers';

const SOCIAL_COOKIE: PendingCookie = {
  name: 'gatehouse_social',
  path: '/api/auth',
  lifetimeMs: SOCIAL_ATTEMPT_LIFETIME_MS,
};

/** GET /api/auth/:provider/start (?connect=1 from Profile, signed in). */
export async function startSocialSignIn(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const { authorizationUrl, pending } = await beginSocialSignIn(ctx, req.params.provider, req.query.connect === '1');
  setPendingCookie(ctx, req, res, SOCIAL_COOKIE, pending);
  res.redirect(303, authorizationUrl);
}

/** GET /api/auth/:provider/callback: the provider sends the browser back here with a code (or an error). */
export async function finishSocialSignIn(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const pending = takePendingCookie<PendingSocialSignIn>(ctx, req, res, SOCIAL_COOKIE);
  if (!pending || pending.provider !== req.params.provider) throw new SsoFailure('expired');
  res.redirect(303, await completeSocialSignIn(ctx, pending, req.originalUrl));
}
