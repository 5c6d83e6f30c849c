import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers every answer carries: a Content-Security-Policy the builder works under (scripts only
 * from this origin; inline styles for React Flow and the email preview; images from anywhere over
 * https, since emails link them), no framing by other sites, no MIME sniffing, no referrer leaking
 * message ids to the sites recipients click through to.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: false,
    strictTransportSecurity: false,
  });
