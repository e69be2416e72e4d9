import type { Request, Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { logger } from '../kernel/logger';
import { setPendingCookie, takePendingCookie, type PendingCookie } from '../auth/pending-flow';
import { databaseOutage } from '../db/availability';
import {
  SSO_ATTEMPT_LIFETIME_MS,
  SsoFailure,
  beginSsoSignIn,
  completeSsoSignIn,
  type PendingSsoSignIn,
} from './sso.service';

const SSO_COOKIE: PendingCookie = { name: 'gatehouse_sso', path: '/api/sso', lifetimeMs: SSO_ATTEMPT_LIFETIME_MS };

/**
 * Browser routes answer with a redirect, never a page of their own: failures go back to
 * sign-in with a reason (the route registry, app/routes.ts, sends their failures here).
 */
export function answerSsoFailure(error: unknown, _req: Request, res: Response): void {
  // While the database is unreachable the outage is logged once (databaseOutage), not per sign-in.
  if (!(error instanceof SsoFailure) && !databaseOutage.note(error))
    logger.error({ err: error }, 'single sign-on failed');
  const reason = error instanceof SsoFailure ? error.reason : 'error';
  res.redirect(303, `/signin?sso_error=${reason}`);
}

/** GET /api/sso/start?email=… (the provider of that email domain) or ?provider=<id> (an organization's link). */
export async function startSsoSignIn(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const { provider, email } = req.query;
  const where =
    typeof provider === 'string' ? { id: provider } : typeof email === 'string' ? { email: email.slice(0, 254) } : null;
  if (!where) throw new SsoFailure('no_provider');
  const { authorizationUrl, pending } = await beginSsoSignIn(ctx, where);
  setPendingCookie(ctx, req, res, SSO_COOKIE, pending);
  res.redirect(303, authorizationUrl);
}

/** GET /api/sso/callback: the provider sends the browser back here with a code (or an error). */
export async function finishSsoSignIn(ctx: RequestContext, req: Request, res: Response): Promise<void> {
  const pending = takePendingCookie<PendingSsoSignIn>(ctx, req, res, SSO_COOKIE);
  if (!pending) throw new SsoFailure('expired');
  res.redirect(303, await completeSsoSignIn(ctx, pending, req.originalUrl));
}
