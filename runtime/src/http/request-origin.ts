import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { isPrivateAddress } from '../channels/is-private-address.ts';
import { ApiError } from './api-error.ts';

/** How the app is reached: its public URL, and whether a reverse proxy in front of it is trusted for X-Forwarded-*. */
export interface Exposure {
  publicUrl?: string;
  /** Number of proxies in front whose X-Forwarded-For / -Proto are believed (0: none, the default). */
  trustProxy: number;
}

const peerOf = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;

/**
 * Whether X-Forwarded-* can be believed: proxies are trusted, and this request came from one —
 * a loopback or private address, never a client on the internet that set the header itself.
 */
const fromTrustedProxy = (c: Context, { trustProxy }: Exposure) => {
  const peer = peerOf(c);
  return trustProxy > 0 && peer !== undefined && isPrivateAddress(peer);
};

/** The client's address: the socket's peer, or behind trusted proxies the address the nearest one saw. */
export function clientAddress(c: Context, exposure: Exposure): string {
  const { trustProxy } = exposure;
  const socket = peerOf(c);
  if (fromTrustedProxy(c, exposure)) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const seen = forwarded[forwarded.length - trustProxy];
    if (seen) return seen;
  }
  return socket ?? 'local';
}

/** Whether the browser reached the app over https: the public URL says so, or a trusted proxy does. */
export function isSecure(c: Context, exposure: Exposure): boolean {
  if (exposure.publicUrl?.startsWith('https:')) return true;
  if (fromTrustedProxy(c, exposure) && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cross-site writes that ride on the session cookie (CSRF): a browser says where a request
 * comes from in `Sec-Fetch-Site` (or at least `Origin`), and only the app's own pages may write.
 * Requests with neither header are not from a browser page; API tokens are not cookies, so they
 * are not checked.
 */
export const sameOriginWrites = (exposure: Exposure, hasCookie: (c: Context) => boolean) =>
  createMiddleware(async (c, next) => {
    if (safeMethods.has(c.req.method) || c.req.header('authorization')?.startsWith('Bearer ') || !hasCookie(c)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const ownOrigins = new Set([new URL(c.req.url).origin, ...(exposure.publicUrl ? [new URL(exposure.publicUrl).origin] : [])]);
    const host = c.req.header('host');
    if (host) ownOrigins.add(`${isSecure(c, exposure) ? 'https' : 'http'}://${host}`);
    const crossSite = site ? site !== 'same-origin' && site !== 'none' : origin !== undefined && origin !== 'null' ? !ownOrigins.has(origin) : origin === 'null';
    if (crossSite) throw new ApiError(403, 'cross-site-request', 'This request came from another site; changes can only be made from Waymark itself (or with an API token).');
    return next();
  });
