/**
 * What one render may spend (SPEC L2). Counts, never time, so the runtime and the browser preview
 * stop a template at the same point.
 */
export const templateLimits = {
  /** `for` and `tablerow` iterations, nested loops counted together, plus every item a list filter goes through. */
  loopIterations: 5_000,
  /** Characters written by one render: the text itself and what `capture` collects. */
  outputCharacters: 256 * 1024,
  /** liquidjs `memoryLimit`: characters and items that ranges and filters create in one render. */
  memory: 1_000_000,
  /** liquidjs `parseLimit`: characters parsed per template. */
  parseCharacters: 200_000,
};

/** A render or parse that went past a limit; the message starts with "too expensive:" and names the limit. */
export class TooExpensive extends Error {}

/** The message for a limit that was passed, such as "too expensive: more than 5,000 loop iterations". */
export function tooExpensive(what: string, limit: number): TooExpensive {
  return new TooExpensive(`too expensive: more than ${limit.toLocaleString('en-US')} ${what}`);
}
