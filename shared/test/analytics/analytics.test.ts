import { describe, expect, it } from 'vitest';
import { compareArms, describeWaitRange, erfc, formatP, funnelAlong, mostTravelledPath, twoProportionTest, waitMetric, waitQuantile } from '../../src/index.ts';

// Reference values from Python's math.erfc (an independent implementation) for the same counts.
describe('A/B readout', () => {
  it('erfc agrees with a reference to 1.2e-7 relative', () => {
    const reference: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [-1, 1.842700792949715],
    ];
    for (const [x, value] of reference) expect(Math.abs(erfc(x) - value) / value).toBeLessThan(1.2e-7);
  });

  it('two-proportion z-test: difference, 95 % interval, z and two-sided p', () => {
    const test = twoProportionTest({ id: 'a', entered: 1000, converted: 100 }, { id: 'b', entered: 1000, converted: 130 });
    expect(test.difference).toBeCloseTo(0.03, 12);
    expect(test.z).toBeCloseTo(2.102740605622114, 9);
    expect(test.p).toBeCloseTo(0.03548845046647473, 6);
    expect(test.interval[0]).toBeCloseTo(0.0020679344393763656, 9);
    expect(test.interval[1]).toBeCloseTo(0.057932065560623636, 9);
    const close = twoProportionTest({ id: 'a', entered: 400, converted: 40 }, { id: 'b', entered: 380, converted: 41 });
    expect(close.p).toBeCloseTo(0.7179014997775229, 6);
  });

  it('the holdout arm is the control; the sentence names the winner, the points and p', () => {
    const readout = compareArms([
      { id: 'a', entered: 20000, converted: 1100 },
      { id: 'hold', label: 'Holdout', holdout: true, entered: 20000, converted: 1000 },
    ]);
    expect(readout.controlId).toBe('hold');
    expect(readout.enoughData).toBe(true);
    expect(readout.arms.find((a) => a.id === 'a')?.comparison?.p).toBeCloseTo(0.024973006760644293, 6);
    expect(readout.sentence).toBe('A converts 0.5 points better than Holdout; p = 0.02; enough data.');
  });

  it('without a holdout the first arm is the control; a clear loser and a draw are said so', () => {
    expect(
      compareArms([
        { id: 'a', entered: 1000, converted: 130 },
        { id: 'b', entered: 1000, converted: 100 },
      ]).sentence,
    ).toBe('B converts 3.0 points worse than A; p = 0.04; enough data.');
    expect(
      compareArms([
        { id: 'a', entered: 400, converted: 40 },
        { id: 'b', entered: 380, converted: 41 },
      ]).sentence,
    ).toBe('B converts 0.8 points better than A; p = 0.72; no clear difference yet.');
  });

  it('warns while any arm has fewer than 10 conversions or non-conversions', () => {
    const readout = compareArms([
      { id: 'a', entered: 50, converted: 3 },
      { id: 'b', entered: 48, converted: 12 },
    ]);
    expect(readout.enoughData).toBe(false);
    expect(readout.sentence).toMatch(/^Not enough data yet: A needs at least 10 conversions/);
    expect(
      compareArms([
        { id: 'a', entered: 0, converted: 0 },
        { id: 'b', entered: 0, converted: 0 },
      ]).arms[1]?.comparison?.p,
    ).toBe(1);
  });

  it('formats p-values', () => {
    expect(formatP(0.0004)).toBe('p < 0.001');
    expect(formatP(0.0042)).toBe('p = 0.004');
    expect(formatP(0.25)).toBe('p = 0.25');
  });
});

describe('time spent in a wait', () => {
  it('counts into buckets and reads quantiles back as ranges in words', () => {
    const hour = 3_600_000;
    const counts: Record<string, number> = {};
    for (const ms of [0.5 * hour, 3 * hour, 3 * hour, 20 * hour, 30 * hour, 30 * hour, 30 * hour, 30 * hour, 30 * hour, 100 * 24 * hour]) {
      const metric = waitMetric(ms);
      counts[metric] = (counts[metric] ?? 0) + 1;
    }
    expect(describeWaitRange(waitQuantile(counts, 0.5)!)).toBe('1–2 d');
    expect(describeWaitRange(waitQuantile(counts, 0.9)!)).toBe('1–2 d');
    expect(describeWaitRange(waitQuantile(counts, 1)!)).toBe('over 90 d');
    expect(describeWaitRange(waitQuantile(counts, 0.1)!)).toBe('15–30 min');
    expect(describeWaitRange(waitQuantile(counts, 0.3)!)).toBe('2–4 h');
    expect(describeWaitRange({ from: 0, to: 60_000 })).toBe('under 1 min');
    expect(describeWaitRange({ from: 12 * hour, to: 24 * hour })).toBe('12 h–1 d');
    expect(waitQuantile({}, 0.5)).toBeNull();
  });
});

describe('funnel', () => {
  const edges = [
    { id: 'e1', source: 't', sourceHandle: 'next', target: 'c' },
    { id: 'e2', source: 'c', sourceHandle: 'yes', target: 'email' },
    { id: 'e3', source: 'c', sourceHandle: 'no', target: 'sms' },
    { id: 'e4', source: 'email', sourceHandle: 'next', target: 'c' },
  ];
  const counts = { t: { entered: 100, 'left:next': 100 }, c: { entered: 100, 'left:yes': 30, 'left:no': 70 }, sms: { entered: 70 }, email: { entered: 30 } };

  it('follows the busiest way out of each step, never looping', () => {
    expect(mostTravelledPath('t', edges, counts)).toEqual(['t', 'c', 'sms']);
    expect(mostTravelledPath('email', edges, counts)).toEqual(['email', 'c', 'sms']);
  });

  it('gives each step its count and its share of the start and of the step before', () => {
    expect(funnelAlong(['t', 'c', 'email'], edges, counts)).toEqual([
      { nodeId: 't', entered: 100, shareOfStart: 1, shareOfPrevious: 1 },
      { nodeId: 'c', via: 'next', entered: 100, shareOfStart: 1, shareOfPrevious: 1 },
      { nodeId: 'email', via: 'yes', entered: 30, shareOfStart: 0.3, shareOfPrevious: 0.3 },
    ]);
  });
});
