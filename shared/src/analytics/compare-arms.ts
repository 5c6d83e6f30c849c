/** One arm of a split as counted: customers who took it and how many of them converted. */
export interface ArmCount {
  id: string;
  label?: string;
  holdout?: boolean;
  entered: number;
  converted: number;
}

/** An arm against the control: the difference in conversion rate, its 95 % interval and the test. */
export interface ArmComparison {
  /** Variant rate minus control rate, as a fraction (0.021 = 2.1 points). */
  difference: number;
  /** 95 % confidence interval of the difference (unpooled standard error). */
  interval: [number, number];
  /** Two-proportion z statistic (pooled standard error). */
  z: number;
  /** Two-sided p-value of the z-test. */
  p: number;
}

export interface ArmReadout extends ArmCount {
  rate: number;
  isControl: boolean;
  /** Absent for the control arm. */
  comparison?: ArmComparison;
}

export interface SplitReadout {
  controlId: string;
  arms: ArmReadout[];
  /** Whether every arm has enough conversions and non-conversions for the normal approximation. */
  enoughData: boolean;
  /** The readout as one sentence an analyst can repeat. */
  sentence: string;
}

/** Each arm needs this many conversions and as many non-conversions before a comparison is shown as settled. */
export const minimumOutcomes = 10;
const z95 = 1.959963984540054;

/**
 * Compares every arm of a split with its control (the holdout arm when there is one, else the
 * first arm): conversion rates, the difference with a 95 % interval, and a two-proportion z-test.
 * Pure.
 */
export function compareArms(arms: ArmCount[]): SplitReadout {
  const control = arms.find((a) => a.holdout) ?? arms[0];
  if (!control) return { controlId: '', arms: [], enoughData: false, sentence: 'This split has no arms.' };
  const readouts = arms.map((arm): ArmReadout => {
    const isControl = arm.id === control.id;
    return { ...arm, rate: rate(arm), isControl, ...(isControl ? {} : { comparison: twoProportionTest(control, arm) }) };
  });
  const enoughData = arms.every((a) => a.converted >= minimumOutcomes && a.entered - a.converted >= minimumOutcomes);
  return { controlId: control.id, arms: readouts, enoughData, sentence: describe(readouts, enoughData) };
}

/** The z-test of two conversion rates (pooled), with the interval of their difference (unpooled). */
export function twoProportionTest(control: ArmCount, variant: ArmCount): ArmComparison {
  const p1 = rate(control);
  const p2 = rate(variant);
  const difference = p2 - p1;
  const unpooled = Math.sqrt(share(p1, control.entered) + share(p2, variant.entered));
  const total = control.entered + variant.entered;
  const pooledRate = total ? (control.converted + variant.converted) / total : 0;
  const pooled = control.entered && variant.entered ? Math.sqrt(pooledRate * (1 - pooledRate) * (1 / control.entered + 1 / variant.entered)) : 0;
  const z = pooled > 0 ? difference / pooled : 0;
  return { difference, interval: [difference - z95 * unpooled, difference + z95 * unpooled], z, p: pooled > 0 ? erfc(Math.abs(z) / Math.SQRT2) : 1 };
}

const rate = (arm: ArmCount) => (arm.entered > 0 ? arm.converted / arm.entered : 0);
const share = (p: number, n: number) => (n > 0 ? (p * (1 - p)) / n : 0);

/**
 * Complementary error function, fractional error below 1.2e-7 everywhere (the Chebyshev fit of
 * Numerical Recipes §6.2); enough for p-values shown to two significant figures.
 */
export function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(-x * x + poly);
  return x >= 0 ? value : 2 - value;
}

const name = (arm: ArmCount) => arm.label || arm.id.toUpperCase();
const points = (fraction: number) => `${(Math.abs(fraction) * 100).toFixed(1)} points`;

/** "p = 0.03", "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

function describe(arms: ArmReadout[], enoughData: boolean): string {
  const control = arms.find((a) => a.isControl)!;
  const variants = arms.filter((a) => !a.isControl && a.comparison);
  if (!variants.length) return `Only ${name(control)} has customers so far.`;
  if (!enoughData) {
    const short = arms.filter((a) => a.converted < minimumOutcomes || a.entered - a.converted < minimumOutcomes).map(name);
    return `Not enough data yet: ${short.join(', ')} ${short.length === 1 ? 'needs' : 'need'} at least ${minimumOutcomes} conversions and ${minimumOutcomes} non-conversions before the difference can be trusted.`;
  }
  const best = variants.reduce((a, b) => (b.comparison!.p < a.comparison!.p ? b : a));
  const { difference, p } = best.comparison!;
  const direction = difference >= 0 ? 'better' : 'worse';
  const verdict = p < 0.05 ? 'enough data' : 'no clear difference yet';
  return `${name(best)} converts ${points(difference)} ${direction} than ${name(control)}; ${formatP(p)}; ${verdict}.`;
}
