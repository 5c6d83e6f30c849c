import { describe, expect, it } from 'vitest';
import { createVisitorIds, uuid } from '../../src/sdk/visitor-ids.ts';

const memoryStorage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
};

describe('the visitor’s ids', () => {
  it('keeps one anonymous id across page loads (the same storage), and adds the user id after identify', () => {
    const storage = memoryStorage();
    const first = createVisitorIds(storage).current();
    expect(first.anonymousId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.userId).toBeUndefined();
    const reloaded = createVisitorIds(storage);
    expect(reloaded.current().anonymousId).toBe(first.anonymousId);
    reloaded.setUserId('ada');
    expect(createVisitorIds(storage).current()).toEqual({ userId: 'ada', anonymousId: first.anonymousId });
  });

  it('starts a new anonymous visitor after reset (sign-out)', () => {
    const storage = memoryStorage();
    const ids = createVisitorIds(storage);
    const before = ids.current().anonymousId;
    ids.setUserId('ada');
    ids.reset();
    const after = ids.current();
    expect(after.userId).toBeUndefined();
    expect(after.anonymousId).not.toBe(before);
  });

  it('works for the page’s lifetime when storage throws (blocked cookies, private mode)', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const ids = createVisitorIds(refusing);
    const id = ids.current().anonymousId;
    ids.setUserId('ada');
    expect(ids.current()).toEqual({ userId: 'ada', anonymousId: id });
    expect(createVisitorIds(null).current().anonymousId).not.toBe(id);
  });

  it('makes v4 UUIDs without crypto.randomUUID (plain http pages are not secure contexts)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = new Set(Array.from({ length: 50 }, uuid));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
