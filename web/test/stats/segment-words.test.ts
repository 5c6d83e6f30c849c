import { describe, expect, it } from 'vitest';
import { customersNowIn, segmentBuilding, segmentMeaning, segmentOption } from '../../src/editor/stats/segment-words.ts';

const pro = { id: 's1', name: 'Pro buyers', members: 1204, building: false };

describe('how the stats say whose numbers they are', () => {
  it('names the customers counted in plain words, with the members now', () => {
    expect(customersNowIn(pro)).toBe('Customers now in Pro buyers');
    expect(segmentOption(pro)).toBe('Pro buyers (1,204)');
    expect(segmentMeaning(pro)).toBe('Only the 1,204 customers in Pro buyers now are counted, with everything they did in these days — whether or not they were in the segment then.');
    expect(segmentMeaning({ ...pro, members: 1 })).toMatch(/^Only the 1 customer in Pro buyers now/);
    expect(segmentBuilding(pro)).toBe('Pro buyers is still being worked out, so these numbers may grow as customers are added to it.');
  });
});
