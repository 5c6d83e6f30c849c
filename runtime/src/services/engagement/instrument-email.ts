/** Absolute http(s) links in anchors, in document order: the click-tracking link index. */
const anchorHref = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;

/** The links of an email body in order; `/t/c/:message/:index` redirects to `links[index]`. */
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
 * The email as sent: links go through the click redirect, a 1×1 pixel records opens, and
 * List-Unsubscribe headers (with RFC 8058 one-click) let mail clients offer an unsubscribe
 * button. The stored message keeps the content as rendered, so previews show what the author wrote.
 */
export function instrumentEmail(content: Record<string, unknown>, urls: TrackingUrls): Record<string, unknown> {
  const html = typeof content.html === 'string' ? content.html : null;
  const headers = {
    ...(content.headers as Record<string, string> | undefined),
    'List-Unsubscribe': `<${urls.unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  if (!html) return { ...content, headers };
  let index = 0;
  const linked = html.replace(anchorHref, (_all, before: string, quote: string) => `${before}${quote}${urls.click(index++)}${quote}`);
  const pixel = `<img src="${urls.open}" width="1" height="1" alt="" style="display:none">`;
  const tracked = /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, `${pixel}</body>`) : linked + pixel;
  return { ...content, html: tracked, headers };
}

function decodeEntities(url: string): string {
  return url.replaceAll('&amp;', '&');
}
