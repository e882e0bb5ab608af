/** The injected clock: services read time from here so tests can control it. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start`, moves only when told. */
export function fixedClock(start: string | Date): Clock & { advance(ms: number): void; set(d: string | Date): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => { t += ms; },
    set: (d) => { t = new Date(d).getTime(); },
  };
}

/** UTC ISO-8601 text, the one stored time format. */
export const isoNow = (clock: Clock): string => clock.now().toISOString();
