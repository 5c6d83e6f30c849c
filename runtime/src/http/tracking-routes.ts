import { timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { messages } from '../db/schema.ts';
import { logErrorOnce } from '../log.ts';
import { clickSignature, emailLinks, type Signer } from '../services/engagement/instrument-email.ts';
import { loadPreferences, type PreferenceChoice, preferenceChannels, savePreferences } from '../services/engagement/recipient-preferences.ts';
import { recordEngagement } from '../services/engagement/record-engagement.ts';
import { escapeHtml, preferenceForm, recipientPage } from './preference-page.ts';

/** A transparent 1×1 GIF. */
const pixel = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const messageId = /^[0-9a-f-]{36}$/;

/**
 * The recipient-facing endpoints that email links and pixels point at. They need no credentials:
 * a message id is an unguessable UUID, and a click only redirects to a link the author wrote in
 * the message (its recorded `links`). A click counts only with its signature (`signer`), so a
 * guessed or edited link still takes the reader to the author's page but records nothing.
 */
export function trackingRoutes(db: Db, now: () => number, signer: Signer) {
  const app = new Hono();

  app.get('/o/:message', async (c) => {
    const id = c.req.param('message');
    // The pixel is answered whatever happens: a mail client has nobody to show an error to.
    if (messageId.test(id)) await recordEngagement(db, id, 'opened', now()).catch((error) => logErrorOnce('open-tracking', error, 'could not record an open'));
    return c.body(pixel, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
  });

  app.get('/c/:message/:link/:sig?', async (c) => {
    const id = c.req.param('message');
    const index = Number(c.req.param('link'));
    const [message] = messageId.test(id) ? await db.select({ content: messages.content }).from(messages).where(eq(messages.id, id)) : [];
    const target = Number.isInteger(index) && index >= 0 ? trackedLinks(message?.content)[index] : undefined;
    if (!target) return c.html(page('Link not found', 'This link is not valid any more. The message it came from may have been deleted.'), 404);
    if (signedClick(signer, id, index, c.req.param('sig') ?? c.req.query('s'))) await recordEngagement(db, id, 'clicked', now());
    return c.redirect(target, 302);
  });

  app.get('/u/:message', async (c) => {
    const id = c.req.param('message');
    const [message] = messageId.test(id) ? await db.select({ channel: messages.channel, unsubscribedAt: messages.unsubscribedAt }).from(messages).where(eq(messages.id, id)) : [];
    if (!message) return c.html(page('Link not found', 'This unsubscribe link is not valid any more.'), 404);
    if (message.unsubscribedAt) return c.html(page('Unsubscribed', `You are unsubscribed from ${message.channel} messages.`));
    // A GET only asks: link scanners open every link in a mail, and must not unsubscribe anyone.
    return c.html(page('Unsubscribe', `Stop receiving ${message.channel} messages from us?`, `<form method="post"><button type="submit">Unsubscribe</button></form>${preferencesLink(id)}`));
  });

  // The button above, and RFC 8058 one-click unsubscribe from mail clients.
  app.post('/u/:message', async (c) => {
    const id = c.req.param('message');
    const message = messageId.test(id) ? await recordEngagement(db, id, 'unsubscribed', now()) : null;
    if (!message) return c.html(page('Link not found', 'This unsubscribe link is not valid any more.'), 404);
    return c.html(page('Unsubscribed', `You are unsubscribed from ${message.channel} messages.`, preferencesLink(id)));
  });

  // The preference page: per channel and per topic. Its address is the unguessable message id, which is also what keeps its form from cross-site posts.
  app.get('/p/:message', async (c) => {
    const id = c.req.param('message');
    const preferences = messageId.test(id) ? await loadPreferences(db, id) : null;
    if (!preferences) return c.html(page('Link not found', 'This preferences link is not valid any more.'), 404);
    return c.html(preferenceForm(preferences), 200, { 'cache-control': 'no-store' });
  });

  app.post('/p/:message', async (c) => {
    const id = c.req.param('message');
    const preferences = messageId.test(id) ? await loadPreferences(db, id) : null;
    if (!preferences) return c.html(page('Link not found', 'This preferences link is not valid any more.'), 404);
    const form = await readForm(c.req.header('content-type'), () => c.req.text());
    const choice = typeof form === 'string' ? form : choiceOf(form, preferences);
    if (typeof choice === 'string') return c.html(recipientPage('Preferences not saved', `<p>${escapeHtml(choice)}</p><p><a href="">Back to your preferences</a></p>`), 400);
    const saved = await savePreferences(db, id, choice, now());
    if (!saved) return c.html(page('Link not found', 'This preferences link is not valid any more.'), 404);
    return c.html(preferenceForm(saved.preferences, '<p role="status"><strong>Thank you: your preferences are saved.</strong></p>'), 200, { 'cache-control': 'no-store' });
  });

  return app;
}

/** Whether a click carries the signature of its message and link (compared in constant time). */
function signedClick(signer: Signer, messageId: string, index: number, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(clickSignature(signer, messageId, index));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The link from the unsubscribe page to the preference page (relative: right under any path the runtime is served at). */
const preferencesLink = (id: string) => `<p><a href="../p/${id}">Manage your preferences</a></p>`;

/** A form body (`application/x-www-form-urlencoded`, what the page's form posts), or a sentence saying what is wrong. */
async function readForm(contentType: string | undefined, text: () => Promise<string>): Promise<URLSearchParams | string> {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return 'Send the form from the preferences page (an application/x-www-form-urlencoded body).';
  try {
    return new URLSearchParams(await text());
  } catch {
    return 'The form could not be read.';
  }
}

/**
 * The recipient's choice from the posted form: `submitted=1`, then `<channel>=on` and
 * `topic:<id>=on` for each box ticked; a box left out is unticked. Any other field, a repeated
 * one or another value is refused with a sentence naming it, and nothing is saved.
 */
function choiceOf(form: URLSearchParams, preferences: { channels: { channel: string }[]; topics: { id: string }[] }): PreferenceChoice | string {
  const channels = new Set(preferences.channels.map((c) => c.channel));
  const topics = new Set(preferences.topics.map((t) => t.id));
  const seen = new Set<string>();
  for (const [name, value] of form) {
    const field = `"${name.slice(0, 64)}"`;
    if (seen.has(name)) return `The field ${field} was sent twice.`;
    seen.add(name);
    if (name === 'submitted') {
      if (value !== '1') return `The field ${field} must be 1.`;
      continue;
    }
    const known = channels.has(name) || (name.startsWith('topic:') && topics.has(name.slice(6)));
    if (!known) return `The field ${field} is not a channel or topic on this page.`;
    if (value !== 'on') return `The field ${field} must be "on" when ticked.`;
  }
  if (!seen.has('submitted')) return 'The field "submitted" is missing: send the form from the preferences page.';
  return {
    channels: Object.fromEntries(preferenceChannels.filter((c) => channels.has(c)).map((c) => [c, form.has(c)])),
    topics: Object.fromEntries([...topics].map((id) => [id, form.has(`topic:${id}`)])),
  };
}

/** The links a message's clicks may redirect to: the author's links recorded at render time (SPEC L8), a push message's deep link, else, for messages stored before that, every link of its HTML. */
function trackedLinks(content: unknown): string[] {
  const { links, html, deepLink } = (content ?? {}) as { links?: unknown; html?: unknown; deepLink?: unknown };
  if (Array.isArray(links)) return links.filter((link): link is string => typeof link === 'string');
  // A push message's deep link is its link 0 when it is an absolute http(s) URL (the web push adapter tracks only those).
  if (typeof deepLink === 'string') return /^https?:\/\//i.test(deepLink) ? [deepLink] : [];
  return typeof html === 'string' ? emailLinks(html) : [];
}

/** A page of a title and a sentence (both escaped), then `extra` HTML. */
function page(title: string, text: string, extra = ''): string {
  return recipientPage(escapeHtml(title), `<p>${escapeHtml(text)}</p>${extra}`);
}
