const schemeOf = /^([a-z][a-z0-9+.-]*):/i;
const htmlSchemes = new Set(['http', 'https', 'mailto', 'tel']);
const scriptSchemes = new Set(['javascript', 'data', 'vbscript']);

/**
 * The scheme a browser would see, lowercased, or null for a relative URL. Browsers drop leading
 * spaces and control characters and ignore tabs and newlines anywhere, so this does too.
 */
export function urlScheme(url: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers strip these, so must we
  const seen = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return schemeOf.exec(seen)?.[1]?.toLowerCase() ?? null;
}

/** A URL an email's link or image may start with: http(s), mailto, tel, a relative path or `#…`; anything else becomes `#`. */
export function safeHtmlUrl(url: string): string {
  const scheme = urlScheme(url);
  return scheme === null || htmlSchemes.has(scheme) ? url : '#';
}

/** A URL field's value with `javascript:`, `data:` and `vbscript:` URLs replaced by `#`; app schemes (`acme://`) pass. */
export function neutralizedUrl(url: string): string {
  const scheme = urlScheme(url);
  return scheme !== null && scriptSchemes.has(scheme) ? '#' : url;
}
