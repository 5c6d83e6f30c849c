import type { JsonSchema } from './json-schema.ts';

const acronyms = new Set(['api', 'cta', 'html', 'id', 'ip', 'json', 'sms', 'url', 'utc']);

/** "dayOfMonth" → "Day of month", "imageUrl" → "Image URL", "time-of-day" → "Time of day"; "POST" stays. */
export function humanizeName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => {
      const lower = word.toLowerCase();
      if (acronyms.has(lower) || (word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word))) return word.toUpperCase();
      return lower;
    });
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A property's label: the schema's `label` when it has one. A schema `title` often names a shared type ("Duration" on `timeout`), so it
 * is used only when it refines the property's own name (`html` → "HTML body").
 */
export function fieldLabel(name: string, schema: JsonSchema): string {
  // A label the schema gives outright (`meta({ label })`): a trait rule's `path` reads "Trait".
  if (typeof schema.label === 'string') return schema.label;
  const humanized = humanizeName(name);
  const title = schema.title;
  return title?.toLowerCase().includes(humanized.toLowerCase()) ? title : humanized;
}

/** "Arms" → "arm", "Rules" → "rule", "Weekdays" → "weekday": what one item of a list is called. */
export function itemNoun(label: string): string {
  const lower = label.toLowerCase();
  if (lower.endsWith('ies')) return `${lower.slice(0, -3)}y`;
  if (lower.endsWith('s') && !lower.endsWith('ss')) return lower.slice(0, -1);
  return lower;
}

/** A label inside a sentence: "Add offset", but "Add SMS". */
export function inSentence(label: string): string {
  const first = label.split(' ')[0] ?? '';
  return first.length > 1 && first === first.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
