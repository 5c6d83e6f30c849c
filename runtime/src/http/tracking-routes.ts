import { Hono } from 'hono';
import { logErrorOnce } from '../log.ts';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { messages } from '../db/schema.ts';
import { emailLinks } from '../services/engagement/instrument-email.ts';
import { recordEngagement } from '../services/engagement/record-engagement.ts';

/** A transparent 1×1 GIF. */
const pixel = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const messageId = /^[0-9a-f-]{36}$/;

/**
 * The recipient-facing endpoints that email links and pixels point at. They need no credentials:
 * a message id is an unguessable UUID, and a click only redirects to a link the author wrote in
 * the message (its recorded `links`).
 */
export function trackingRoutes(db: Db, now: () => number) {
  const app = new Hono();

  app.get('/o/:message', async (c) => {
    const id = c.req.param('message');
    // The pixel is answered whatever happens: a mail client has nobody to show an error to.
    if (messageId.test(id)) await recordEngagement(db, id, 'opened', now()).catch((error) => logErrorOnce('open-tracking', error, 'could not record an open'));
    return c.body(pixel, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
  });

  app.get('/c/:message/:link', async (c) => {
    const id = c.req.param('message');
    const index = Number(c.req.param('link'));
    const [message] = messageId.test(id) ? await db.select({ content: messages.content }).from(messages).where(eq(messages.id, id)) : [];
    const target = Number.isInteger(index) && index >= 0 ? trackedLinks(message?.content)[index] : undefined;
    if (!target) return c.html(page('Link not found', 'This link is not valid any more. The message it came from may have been deleted.'), 404);
    await recordEngagement(db, id, 'clicked', now());
    return c.redirect(target, 302);
  });

  app.get('/u/:message', async (c) => {
    const id = c.req.param('message');
    const [message] = messageId.test(id) ? await db.select({ channel: messages.channel, unsubscribedAt: messages.unsubscribedAt }).from(messages).where(eq(messages.id, id)) : [];
    if (!message) return c.html(page('Link not found', 'This unsubscribe link is not valid any more.'), 404);
    if (message.unsubscribedAt) return c.html(page('Unsubscribed', `You are unsubscribed from ${message.channel} messages.`));
    // A GET only asks: link scanners open every link in a mail, and must not unsubscribe anyone.
    return c.html(page('Unsubscribe', `Stop receiving ${message.channel} messages from us?`, `<form method="post"><button type="submit">Unsubscribe</button></form>`));
  });

  // The button above, and RFC 8058 one-click unsubscribe from mail clients.
  app.post('/u/:message', async (c) => {
    const id = c.req.param('message');
    const message = messageId.test(id) ? await recordEngagement(db, id, 'unsubscribed', now()) : null;
    if (!message) return c.html(page('Link not found', 'This unsubscribe link is not valid any more.'), 404);
    return c.html(page('Unsubscribed', `You are unsubscribed from ${message.channel} messages.`));
  });

  return app;
}

/** The links a message's clicks may redirect to: the author's links recorded at render time (SPEC L8), else, for messages stored before that, every link of its HTML. */
function trackedLinks(content: unknown): string[] {
  const { links, html } = (content ?? {}) as { links?: unknown; html?: unknown };
  if (Array.isArray(links)) return links.filter((link): link is string => typeof link === 'string');
  return typeof html === 'string' ? emailLinks(html) : [];
}

function page(title: string, text: string, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p>${extra}</body></html>`;
}
