import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SignInRequest } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { sessionDays, signIn, signOut } from '../services/auth/principal.ts';
import { invalidRequest } from './invalid-request.ts';
import { sessionCookie } from './management-auth.ts';
import { clientAddress, type Exposure, isSecure } from './request-origin.ts';

/** `/api/sessions`: sign in (httpOnly cookie) and out. */
export function sessionRoutes(db: Db, now: () => number, exposure: Exposure) {
  const app = new Hono();
  app.post('/', zValidator('json', SignInRequest, invalidRequest), async (c) => {
    const { email, password } = c.req.valid('json');
    const token = await signIn(db, email, password, clientAddress(c, exposure), now());
    setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: sessionDays * 86_400, secure: isSecure(c, exposure) });
    return c.json({ ok: true });
  });
  app.delete('/', async (c) => {
    const token = getCookie(c, sessionCookie);
    if (token) await signOut(db, token);
    deleteCookie(c, sessionCookie, { path: '/', secure: isSecure(c, exposure) });
    return c.body(null, 204);
  });
  return app;
}
