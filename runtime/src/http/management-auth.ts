import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Role } from '@waymark/shared';
import type { Db } from '../db/database.ts';
import { principalOf, requireRole, roleIn, type Principal } from '../services/auth/principal.ts';
import { ApiError } from './api-error.ts';

export const sessionCookie = 'waymark_session';

export type AuthEnv = { Variables: { principal: Principal; workspaceId: string; role: Role } };

/** Requires a session cookie or API token. */
export const authenticate = (db: Db, now: () => number) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const principal = await principalOf(db, getCookie(c, sessionCookie), bearer, now());
    if (!principal) throw new ApiError(401, 'unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer wt_…".');
    c.set('principal', principal);
    await next();
  });

/** Resolves `:workspaceId` to the caller's role there (404 if none) and checks the minimum role. */
export const inWorkspace = (db: Db, minimum: Role = 'viewer') =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const workspaceId = c.req.param('workspaceId')!;
    const role = await roleIn(db, c.get('principal'), workspaceId);
    requireRole(role, minimum);
    c.set('workspaceId', workspaceId);
    c.set('role', role);
    await next();
  });

/** Checks a stricter role for one route. */
export const needs = (minimum: Role) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    requireRole(c.get('role'), minimum);
    await next();
  });
