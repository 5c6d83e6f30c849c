import { toValue } from 'liquidjs';
import { TemplateRefusal } from './no-file-system.ts';
import { neutralizedUrl, safeHtmlUrl } from './safe-url.ts';
import { storableText } from './storable-text.ts';
import type { OutputPosition } from './template-context.ts';

/** An output value as Liquid prints it: nil is empty, a list prints its items one after another. */
export function printable(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(printable).join('');
  return String(plain);
}

/** What may stand in CSS from outside: colours, lengths, font names, `rgb(…)`; never `;`, `:`, `/`, quotes, backslashes or `url`. */
const safeCss = /^(?!.*url\s*\()[\w\s#%.,()+-]*$/i;

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const quotedSpecial = /[&<>"']/g;
// Unquoted attribute values and tag internals also end at whitespace, `=` and backticks.
const bareSpecial = /[&<>"'\s=`]/g;
const entity = (char: string) => htmlEntities[char] ?? `&#${char.codePointAt(0)};`;

/** HTML-escaped text; `bare` (outside quotes) also escapes whitespace, `=` and backticks. */
export function escapeHtml(text: string, bare = false): string {
  const special = bare ? bareSpecial : quotedSpecial;
  special.lastIndex = 0;
  return special.test(text) ? text.replace(special, entity) : text;
}

/**
 * One output escaped for where it lands (SPEC L3–L5). `first` says nothing was written yet in the
 * URL (attribute value or field) it starts, so it decides the scheme and is checked, not encoded.
 */
export function escapeOutput(position: OutputPosition, value: unknown, first: boolean): string {
  switch (position.escape) {
    case 'none':
      return printable(value);
    case 'html':
      return escapeHtml(printable(value), position.bare);
    case 'html-css': {
      // A colour, a size, a font name: anything more (`;`, `:`, `/`, quotes, `url(`) could add a rule or load a tracker.
      const text = printable(value);
      if (!safeCss.test(text)) throw new TemplateRefusal('a value placed inside a style may hold only letters, digits, spaces and # % . , - ( ); this one holds more');
      return escapeHtml(text, position.bare);
    }
    case 'html-code':
      throw new TemplateRefusal('a value cannot be placed inside a script, an event attribute (onclick…) or srcdoc; use the raw filter only for code you trust');
    case 'html-url': {
      const text = storableText(printable(value));
      return escapeHtml(first ? safeHtmlUrl(text) : encodeURIComponent(text), position.bare);
    }
    case 'url': {
      const text = storableText(printable(value));
      return first ? neutralizedUrl(text) : encodeURIComponent(text);
    }
    case 'json-string':
      return JSON.stringify(storableText(printable(value))).slice(1, -1);
    case 'json-value':
      return jsonValue(toValue(value));
  }
}

/** Numbers, booleans and null as themselves; anything else as the JSON of its value. */
function jsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value) ?? 'null';
  if (typeof value === 'string') return JSON.stringify(storableText(value));
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return JSON.stringify(printable(value));
  }
}
