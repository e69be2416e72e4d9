import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../kernel/config';

/**
 * Headers for every response. The policy fits the built SPA: its scripts, styles and fonts are
 * files from this origin (Vite emits no inline code, and React sets `style` props through the
 * DOM, which CSP allows); images are this origin's logos plus the `data:` QR code of 2FA
 * enrolment; the API is same-origin. Pages cannot be framed (clickjacking) nor sent a Referer
 * (reset and invitation links carry their token in the URL). HSTS and upgrading requests only
 * make sense when the public URL is https: on plain http they would lock browsers out.
 */
export function securityHeaders(config: Config): RequestHandler {
  const https = new URL(config.publicUrl).protocol === 'https:';
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}

/**
 * The API explorer's policy (/api/explorer): the same, except that styles may be inline and fonts
 * `data:`. Its editor (Monaco) writes `<style>` elements at run time and GraphiQL's stylesheet
 * embeds its fonts; neither can run code, and scripts stay this origin's files.
 */
export function explorerPolicy(policy: string): string {
  return policy
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("font-src 'self'", "font-src 'self' data:");
}
