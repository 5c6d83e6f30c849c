import type { Visitor } from './sdk-types.ts';

const anonymousKey = 'waymark.anonymousId';
const userKey = 'waymark.userId';

/** A random v4 UUID; `crypto.randomUUID` exists only in secure contexts, so plain http sites build one. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The visitor's ids, kept in localStorage so they survive reloads. Storage may be refused (private
 * modes, blocked cookies): then the ids live as long as the page.
 */
export function createVisitorIds(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = safeLocalStorage()) {
  const memory = new Map<string, string>();
  const read = (key: string) => {
    try {
      return storage?.getItem(key) ?? memory.get(key) ?? null;
    } catch {
      return memory.get(key) ?? null;
    }
  };
  const write = (key: string, value: string | null) => {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, value);
    } catch {
      // Storage full or refused: the in-memory copy still serves this page.
    }
  };
  return {
    /** The ids to send with a call; creates the anonymous id on first use. */
    current(): Visitor {
      let anonymousId = read(anonymousKey);
      if (!anonymousId) {
        anonymousId = uuid();
        write(anonymousKey, anonymousId);
      }
      const userId = read(userKey);
      return userId ? { userId, anonymousId } : { anonymousId };
    },
    setUserId(userId: string) {
      write(userKey, userId);
    },
    /** Forgets both ids (sign-out): the next call starts a new anonymous visitor. */
    reset() {
      write(userKey, null);
      write(anonymousKey, null);
    },
  };
}
export type VisitorIds = ReturnType<typeof createVisitorIds>;

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
