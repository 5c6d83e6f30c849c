/**
 * A topic's id from its name ("Product news!" → "product-news"), unique among `taken` ("-2", "-3"…),
 * within the API's rule: lower-case letters, digits, - or _, starting with a letter or digit, 64 at most.
 */
export function topicId(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56)
      .replace(/-+$/, '') || 'topic';
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}
