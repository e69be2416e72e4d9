import type { Request } from 'express';
import type { Config } from './config';

/** Options every cookie of ours shares: out of reach of scripts, sent on top-level navigation, Secure behind HTTPS. */
export function cookieOptions(req: Request, config: Config) {
  const secure = req.secure || config.publicUrl.startsWith('https://');
  return { httpOnly: true, sameSite: 'lax' as const, secure };
}
