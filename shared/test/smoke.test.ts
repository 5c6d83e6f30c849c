import { describe, expect, it } from 'vitest';
import { bucketOf } from '@waymark/shared';

describe('bucketOf', () => {
  it('is deterministic and in [0, 100)', () => {
    expect(bucketOf('a')).toBe(bucketOf('a'));
    expect(bucketOf('a')).toBeGreaterThanOrEqual(0);
    expect(bucketOf('a')).toBeLessThan(100);
  });
});
