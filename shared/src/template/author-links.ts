/** An anchor's quoted absolute http(s) href; quoted values before it are skipped whole, so an `href` inside one is not taken. */
const anchorHref = /(<a\b(?:[^>"']|"[^"]*"|'[^']*')*?\shref\s*=\s*)(["'])(https?:\/\/[^"']*)\2/gi;
/** In a template: an anchor's href up to its closing quote or its first Liquid tag, whichever comes first. */
const sourceHref = /<a\b(?:[^>"']|"[^"]*"|'[^']*')*?\shref\s*=\s*(["'])((?:(?!\1|\{\{|\{%)[\s\S])*)(\{\{|\{%|\1)/gi;
/** A literal start that fixes the host: scheme, host, then `/`, `?` or `#`. */
const fixedHost = /^https?:\/\/[^/?#\s]+[/?#]/i;
const entity = /&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with the character references an attribute value commonly holds decoded. */
export function decodeEntities(text: string): string {
  return text.replace(entity, (all, name: string) => {
    if (name[0] !== '#') return named[name.toLowerCase()] ?? all;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** The absolute http(s) hrefs of an HTML document's anchors, decoded, in document order. */
export function anchorLinks(html: string): string[] {
  if (!/href/i.test(html)) return [];
  return [...html.matchAll(anchorHref)].map((match) => decodeEntities(match[3]!));
}

/** The HTML with each anchor's absolute http(s) href replaced by `rewrite(decoded href)`, or left as it is when that is null. */
export function rewriteLinks(html: string, rewrite: (href: string) => string | null): string {
  return html.replace(anchorHref, (all, before: string, quote: string, href: string) => {
    const next = rewrite(decodeEntities(href));
    return next === null ? all : `${before}${quote}${next}${quote}`;
  });
}

interface AuthorLinks {
  exact: Set<string>;
  prefixes: string[];
}

const patterns = new Map<string, AuthorLinks>();
const maxCached = 1_000;

/**
 * The links the author wrote (SPEC L8): the rendered anchors' hrefs, in document order, that equal
 * an href written out in the template, or start with an href's literal text before its first
 * Liquid tag when that text fixes the host (`https://shop.example/cart?id=`). A link that came
 * from customer data, however it got into the HTML, is not one of them.
 */
export function authorLinks(sourceHtml: string, renderedHtml: string): string[] {
  let written = patterns.get(sourceHtml);
  if (!written) {
    written = linksWritten(sourceHtml);
    if (patterns.size >= maxCached) patterns.delete(patterns.keys().next().value as string);
    patterns.set(sourceHtml, written);
  }
  const { exact, prefixes } = written;
  return anchorLinks(renderedHtml).filter((href) => exact.has(href) || prefixes.some((prefix) => href.startsWith(prefix)));
}

function linksWritten(source: string): AuthorLinks {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const [, quote, literal, end] of source.matchAll(sourceHref)) {
    const text = decodeEntities(literal!);
    if (end === quote) exact.add(text);
    else if (fixedHost.test(text)) prefixes.push(text);
  }
  return { exact, prefixes };
}
