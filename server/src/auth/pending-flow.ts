import type { Request, Response } from 'express';
import type { RequestContext } from '../kernel/context';
import { cookieOptions } from '../kernel/cookies';
import { secretBoxFor } from './secret-box';

/**
 * What a browser carries, sealed, between the steps of a sign-in that leaves Gatehouse (single
 * sign-on, social sign-in, linking an identity): any instance can take the next step, and the
 * browser can neither read nor change it. `purpose` keeps one kind from being used as another.
 */
export function sealPending(ctx: RequestContext, purpose: string, value: object): string {
  return secretBoxFor(ctx.config).seal(JSON.stringify({ ...value, purpose, sealedAt: Date.now() }));
}

/** The sealed value, or null when it is not one of `purpose` or is older than `lifetimeMs`. */
export function openPending<T>(ctx: RequestContext, purpose: string, sealed: unknown, lifetimeMs: number): T | null {
  let value: { purpose?: unknown; sealedAt?: unknown };
  try {
    value = JSON.parse(secretBoxFor(ctx.config).open(String(sealed)));
  } catch {
    return null;
  }
  if (value.purpose !== purpose || typeof value.sealedAt !== 'number') return null;
  if (Date.now() - value.sealedAt > lifetimeMs) return null;
  return value as T;
}

/** A cookie for one flow, limited to that flow's routes and its lifetime. */
export interface PendingCookie {
  name: string;
  path: string;
  lifetimeMs: number;
}

export function setPendingCookie(
  ctx: RequestContext,
  req: Request,
  res: Response,
  cookie: PendingCookie,
  value: object,
): void {
  res.cookie(cookie.name, sealPending(ctx, cookie.name, value), {
    ...cookieOptions(req, ctx.config),
    path: cookie.path,
    maxAge: cookie.lifetimeMs,
  });
}

/** Reads the flow's cookie and clears it at once: a callback is finished (or refused) once. */
export function takePendingCookie<T>(
  ctx: RequestContext,
  req: Request,
  res: Response,
  cookie: PendingCookie,
): T | null {
  const sealed: unknown = req.cookies?.[cookie.name];
  res.clearCookie(cookie.name, { ...cookieOptions(req, ctx.config), path: cookie.path });
  return openPending<T>(ctx, cookie.name, sealed, cookie.lifetimeMs);
}
