/** Where the runtime reads time; tests pass pg-boss's TestClock to move days in milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const isoNow = (clock: Clock) => new Date(clock.now()).toISOString();
