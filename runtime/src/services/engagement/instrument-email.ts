import { rewriteLinks } from '@waymark/shared';

/** Absolute http(s) links in anchors, in document order: the click-tracking link index of messages stored without `links`. */
const anchorHref = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;

/** The links of an email body in order: where `/t/c/:message/:index` redirects for a message stored without `links`. */
export function emailLinks(html: string): string[] {
  return [...html.matchAll(anchorHref)].map((match) => decodeEntities(match[3]!));
}

export interface TrackingUrls {
  open: string;
  click(index: number): string;
  unsubscribe: string;
  /** The hosted preference page: per channel and per topic. */
  preferences: string;
}

/** Signs with the server's key (the runtime's `SecretBox`). */
export interface Signer {
  sign(data: string): string;
}

/** The signature of a click link: 16 characters (96 bits) of the HMAC of `message:link`, so a click can be told from a guessed URL. */
export function clickSignature(signer: Signer, messageId: string, link: number | string): string {
  return signer.sign(`${messageId}:${link}`).slice(0, 16);
}

/**
 * The tracking URLs of one message under the runtime's public URL. With a signer, click links end
 * in their signature (`/t/c/:message/:link/:sig`) and only signed clicks are recorded.
 */
export function trackingUrls(publicUrl: string, messageId: string, signer?: Signer): TrackingUrls {
  const base = `${publicUrl.replace(/\/$/, '')}/t`;
  return {
    open: `${base}/o/${messageId}`,
    click: (index) => `${base}/c/${messageId}/${index}${signer ? `/${clickSignature(signer, messageId, index)}` : ''}`,
    unsubscribe: `${base}/u/${messageId}`,
    preferences: `${base}/p/${messageId}`,
  };
}

/**
 * The email as sent: the links the author wrote (`content.links`, in order; SPEC L8) go through
 * the click redirect and every other anchor is left as it is, a footer links the unsubscribe and
 * preference pages (unless the body already links the unsubscribe page), a 1×1 pixel records
 * opens, and List-Unsubscribe headers (with RFC 8058 one-click) let mail clients offer an
 * unsubscribe button. An author's text part gets the same two links. The stored message keeps the
 * content as rendered, so previews show what the author wrote.
 */
export function instrumentEmail(content: Record<string, unknown>, urls: TrackingUrls): Record<string, unknown> {
  const { links, ...rest } = content;
  const html = typeof content.html === 'string' ? content.html : null;
  const headers = {
    ...(content.headers as Record<string, string> | undefined),
    'List-Unsubscribe': `<${urls.unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  const text = typeof content.text === 'string' && content.text ? { text: `${content.text}\n\n--\nUnsubscribe: ${urls.unsubscribe}\nManage preferences: ${urls.preferences}\n` } : {};
  if (!html) return { ...rest, ...text, headers };
  // Messages rendered before `links` existed have none: nothing is wrapped, every link still works.
  const authored = Array.isArray(links) ? (links as string[]) : [];
  let next = 0;
  const linked = rewriteLinks(html, (href) => (next < authored.length && href === authored[next] ? urls.click(next++) : null));
  const footer = linked.includes(urls.unsubscribe)
    ? ''
    : `<p style="margin:24px 0 0;font-size:12px;line-height:1.5;color:#6b7280;text-align:center"><a href="${attribute(urls.unsubscribe)}" style="color:#6b7280">Unsubscribe</a> · <a href="${attribute(urls.preferences)}" style="color:#6b7280">Manage preferences</a></p>`;
  const pixel = `<img src="${attribute(urls.open)}" width="1" height="1" alt="" style="display:none">`;
  const tracked = /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, (end) => footer + pixel + end) : linked + footer + pixel;
  return { ...rest, ...text, html: tracked, headers };
}

function attribute(url: string): string {
  return url.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}

function decodeEntities(url: string): string {
  return url.replaceAll('&amp;', '&');
}
