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
}

/** The tracking URLs of one message under the runtime's public URL. */
export function trackingUrls(publicUrl: string, messageId: string): TrackingUrls {
  const base = `${publicUrl.replace(/\/$/, '')}/t`;
  return {
    open: `${base}/o/${messageId}`,
    click: (index) => `${base}/c/${messageId}/${index}`,
    unsubscribe: `${base}/u/${messageId}`,
  };
}

/**
 * The email as sent: the links the author wrote (`content.links`, in order; SPEC L8) go through
 * the click redirect and every other anchor is left as it is, a 1×1 pixel records opens, and
 * List-Unsubscribe headers (with RFC 8058 one-click) let mail clients offer an unsubscribe
 * button. The stored message keeps the content as rendered, so previews show what the author wrote.
 */
export function instrumentEmail(content: Record<string, unknown>, urls: TrackingUrls): Record<string, unknown> {
  const { links, ...rest } = content;
  const html = typeof content.html === 'string' ? content.html : null;
  const headers = {
    ...(content.headers as Record<string, string> | undefined),
    'List-Unsubscribe': `<${urls.unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  if (!html) return { ...rest, headers };
  // Messages rendered before `links` existed have none: nothing is wrapped, every link still works.
  const authored = Array.isArray(links) ? (links as string[]) : [];
  let next = 0;
  const linked = rewriteLinks(html, (href) => (next < authored.length && href === authored[next] ? urls.click(next++) : null));
  const pixel = `<img src="${urls.open}" width="1" height="1" alt="" style="display:none">`;
  const tracked = /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, `${pixel}</body>`) : linked + pixel;
  return { ...rest, html: tracked, headers };
}

function decodeEntities(url: string): string {
  return url.replaceAll('&amp;', '&');
}
