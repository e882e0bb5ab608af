/**
 * Seeded randomness for the demo world: the same seed gives the same world on every machine.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter) seeded through splitmix32: fast, 128-bit
 * state, passes PractRand far beyond what a demo needs, and pure JavaScript integer maths.
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Poisson-distributed count (Knuth; fine for the small means used here). */
  poisson(mean: number): number;
  /** A new generator whose stream depends only on this seed and the label. */
  fork(label: string): Rng;
  /** 32 random bits as an unsigned integer. */
  u32(): number;
};

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a: a string seed as 32 bits. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded generator; `fork(label)` derives independent streams so one part's draws never shift another's. */
export function createRng(seed: string): Rng {
  const init = splitmix32(hashSeed(seed));
  let a = init(), b = init(), c = init(), d = init();
  const u32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => u32() / 4294967296;
  let spare: number | null = null;
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weightedIndex: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    poisson: (mean) => {
      if (mean <= 0) return 0;
      if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
      const l = Math.exp(-mean);
      let k = 0, p = 1;
      do { k++; p *= next(); } while (p > l);
      return k - 1;
    },
    fork: (label) => createRng(`${seed}/${label}`),
    u32,
  };
  return rng;
}

// Number#toString(16) is slow for values beyond 31 bits; a byte table keeps 150k ids cheap.
const byteHex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (x: number): string => byteHex[(x >>> 24) & 255]! + byteHex[(x >>> 16) & 255]! + byteHex[(x >>> 8) & 255]! + byteHex[x & 255]!;

/**
 * A UUIDv7 whose timestamp is `ms` and whose random bits come from the generator: time-ordered
 * like every OpenKAM id, yet reproducible.
 */
export function seededUuidV7(rng: Rng, ms: number): string {
  const t = Math.max(0, Math.floor(ms));
  const ts = hex8(Math.floor(t / 4294967296)).slice(4) + hex8(t % 4294967296);
  const a = hex8(rng.u32()), b = hex8(rng.u32()), c = hex8(rng.u32());
  const variant = byteHex[8 + (rng.u32() & 3)]!.slice(1);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${a.slice(0, 3)}-${variant}${a.slice(3, 6)}-${b}${c.slice(0, 4)}`;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new Error('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
