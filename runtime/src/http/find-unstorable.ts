/** Where a JSON value holds text PostgreSQL cannot store, and what is wrong with it. */
export interface Unstorable {
  /** Dotted path to the field (a key's own path when the key is the problem). */
  field: string;
  problem: string;
}

/**
 * The first string or key in a parsed JSON value that PostgreSQL cannot store: a NUL character
 * (text and jsonb refuse U+0000) or a lone UTF-16 surrogate (not valid Unicode, refused by jsonb).
 * Walks without recursion; null when everything is storable.
 */
export function findUnstorable(root: unknown, prefix = ''): Unstorable | null {
  const stack: [unknown, string][] = [[root, prefix]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: path, problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], join(path, String(i))]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const problem = textProblem(key);
        if (problem) return { field: join(path, key), problem: `its name has ${problem}` };
        stack.push([child, join(path, key)]);
      }
    }
  }
  return null;
}

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
