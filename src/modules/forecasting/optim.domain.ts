/**
 * Nelder–Mead simplex minimiser with the same moves, start simplex and stopping rule as R's
 * optim(method = "Nelder-Mead") (Nash's algorithm), which R's ets() uses: reproducing its
 * path is what makes our fits land where R's do. Non-finite values count as 1e35.
 */
export type NelderMeadOptions = {
  /** Relative convergence tolerance on the spread of the simplex values. */
  reltol?: number;
  abstol?: number;
  /** Maximum number of function evaluations. */
  maxit?: number;
  alpha?: number;
  beta?: number;
  gamma?: number;
};

export type NelderMeadResult = { par: Float64Array; value: number; evaluations: number; converged: boolean };

const BIG = 1e35;

export function nelderMead(
  fn: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const reltol = options.reltol ?? 1.490116119384765625e-8;
  const abstol = options.abstol ?? -Infinity;
  const maxit = options.maxit ?? 500;
  const alpha = options.alpha ?? 1;
  const bet = options.beta ?? 0.5;
  const gamm = options.gamma ?? 2;
  const n = start.length;
  const bvec = Float64Array.from(start);
  const evalf = (x: Float64Array): number => {
    const v = fn(x);
    return Number.isFinite(v) ? v : BIG;
  };
  let f = fn(bvec);
  if (!Number.isFinite(f)) return { par: bvec, value: Infinity, evaluations: 1, converged: false };
  if (maxit <= 0) return { par: bvec, value: f, evaluations: 1, converged: false };
  // P[j] = vertex j (n coords), vals[j] its value; vertex n+1 is the centroid slot "C".
  const n1 = n + 1;
  const P: Float64Array[] = [];
  for (let j = 0; j <= n1; j++) P.push(new Float64Array(n));
  const vals = new Float64Array(n1 + 1);
  let funcount = 1;
  const convtol = reltol * (Math.abs(f) + reltol);
  vals[0] = f;
  P[0]!.set(bvec);
  let L = 0;
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) if (0.1 * Math.abs(bvec[i]!) > step) step = 0.1 * Math.abs(bvec[i]!);
  if (step === 0) step = 0.1;
  for (let j = 1; j <= n; j++) {
    const v = P[j]!;
    v.set(bvec);
    let trystep = step;
    while (v[j - 1] === bvec[j - 1]) {
      v[j - 1] = bvec[j - 1]! + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  let oldsize = size;
  let calcvert = true;
  let fail = false;
  const C = P[n1]!;
  for (;;) {
    if (calcvert) {
      for (let j = 0; j < n1; j++) {
        if (j !== L) {
          vals[j] = evalf(P[j]!);
          funcount++;
        }
      }
      calcvert = false;
    }
    let VL = vals[L]!;
    let VH = VL;
    let H = L;
    for (let j = 0; j < n1; j++) {
      if (j !== L) {
        const fj = vals[j]!;
        if (fj < VL) {
          L = j;
          VL = fj;
        }
        if (fj > VH) {
          H = j;
          VH = fj;
        }
      }
    }
    if (VH <= VL + convtol || VL <= abstol) break;
    const PH = P[H]!;
    for (let i = 0; i < n; i++) {
      let temp = -PH[i]!;
      for (let j = 0; j < n1; j++) temp += P[j]![i]!;
      C[i] = temp / n;
    }
    for (let i = 0; i < n; i++) bvec[i] = (1 + alpha) * C[i]! - alpha * PH[i]!;
    f = evalf(bvec);
    funcount++;
    const VR = f;
    if (VR < VL) {
      vals[n1] = f;
      for (let i = 0; i < n; i++) {
        const g = gamm * bvec[i]! + (1 - gamm) * C[i]!;
        C[i] = bvec[i]!;
        bvec[i] = g;
      }
      f = evalf(bvec);
      funcount++;
      if (f < VR) {
        PH.set(bvec);
        vals[H] = f;
      } else {
        PH.set(C);
        vals[H] = VR;
      }
    } else {
      if (VR < VH) {
        PH.set(bvec);
        vals[H] = VR;
      }
      for (let i = 0; i < n; i++) bvec[i] = (1 - bet) * PH[i]! + bet * C[i]!;
      f = evalf(bvec);
      funcount++;
      if (f < vals[H]!) {
        PH.set(bvec);
        vals[H] = f;
      } else if (VR >= VH) {
        calcvert = true;
        size = 0;
        const PL = P[L]!;
        for (let j = 0; j < n1; j++) {
          if (j !== L) {
            const Pj = P[j]!;
            for (let i = 0; i < n; i++) {
              Pj[i] = bet * (Pj[i]! - PL[i]!) + PL[i]!;
              size += Math.abs(Pj[i]! - PL[i]!);
            }
          }
        }
        if (size < oldsize) oldsize = size;
        else {
          fail = true;
          break;
        }
      }
    }
    if (funcount > maxit) break;
  }
  return { par: Float64Array.from(P[L]!), value: vals[L]!, evaluations: funcount, converged: !fail && funcount <= maxit };
}

/** Central-difference gradient of fn at x into g (x is left as it was), step(i) per coordinate. */
function centralGradient(fn: (x: Float64Array) => number, x: Float64Array, step: (i: number) => number, g: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) {
    const e = step(i);
    const xi = x[i]!;
    x[i] = xi + e;
    const v1 = fn(x);
    x[i] = xi - e;
    const v2 = fn(x);
    x[i] = xi;
    g[i] = (v1 - v2) / (2 * e);
  }
  return g;
}

export type BfgsOptions = {
  /** Maximum iterations (R: 100). */
  maxit?: number;
  reltol?: number;
  /** Steps of the central-difference gradient, in scaled units (R's ndeps: 1e-3). */
  ndeps?: number;
  /** Parameter scales: the search runs on par / parscale, as R's optim control$parscale. */
  parscale?: ArrayLike<number>;
};

export type BfgsResult = { par: Float64Array; value: number; evaluations: number; converged: boolean };

/**
 * Variable-metric (BFGS) minimiser, a port of R's vmmin as optim(method = "BFGS") calls it,
 * with optim's central-difference gradient (ndeps 1e-3 on the scaled parameters) and its
 * parscale. R's arima() fits with it; following the same moves lands where R lands.
 */
export function bfgs(fn: (x: Float64Array) => number, start: ArrayLike<number>, options: BfgsOptions = {}): BfgsResult {
  const n = start.length;
  const maxit = options.maxit ?? 100;
  const reltol = options.reltol ?? 1.490116119384765625e-8;
  const ndeps = options.ndeps ?? 1e-3;
  const scale = Float64Array.from({ length: n }, (_, i) => options.parscale?.[i] ?? 1);
  const xs = new Float64Array(n);
  let evaluations = 0;
  const f = (z: Float64Array): number => {
    for (let i = 0; i < n; i++) xs[i] = z[i]! * scale[i]!;
    evaluations++;
    const v = fn(xs);
    return Number.isFinite(v) ? v : Infinity;
  };
  const grad = (z: Float64Array, g: Float64Array): void => {
    centralGradient(f, z, () => ndeps, g);
  };
  const b = Float64Array.from({ length: n }, (_, i) => start[i]! / scale[i]!);
  const out = (value: number, converged: boolean): BfgsResult => ({
    par: Float64Array.from({ length: n }, (_, i) => b[i]! * scale[i]!),
    value,
    evaluations,
    converged,
  });
  let fv = f(b);
  if (!Number.isFinite(fv)) return out(Infinity, false);
  if (n === 0 || maxit <= 0) return out(fv, true);
  let fmin = fv;
  const g = new Float64Array(n);
  const t = new Float64Array(n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const B: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  grad(b, g);
  let gradcount = 1;
  let iter = 1;
  let ilast = gradcount;
  let count = 0;
  const STEPREDN = 0.2;
  const ACCTOL = 0.0001;
  const RELTEST = 10.0;
  do {
    if (ilast === gradcount) {
      for (let i = 0; i < n; i++) {
        B[i]!.fill(0, 0, i);
        B[i]![i] = 1;
      }
    }
    for (let i = 0; i < n; i++) {
      X[i] = b[i]!;
      c[i] = g[i]!;
    }
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s -= B[i]![j]! * g[j]!;
      for (let j = i + 1; j < n; j++) s -= B[j]![i]! * g[j]!;
      t[i] = s;
      gradproj += s * g[i]!;
    }
    if (gradproj < 0) {
      let steplength = 1;
      let accpoint = false;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i]! + steplength * t[i]!;
          if (RELTEST + X[i]! === RELTEST + b[i]!) count++;
        }
        if (count < n) {
          fv = f(b);
          accpoint = Number.isFinite(fv) && fv <= fmin + gradproj * steplength * ACCTOL;
          if (!accpoint) steplength *= STEPREDN;
        }
      } while (!(count === n || accpoint));
      const enough = fv > -Infinity && Math.abs(fv - fmin) > reltol * (Math.abs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = fv;
      }
      if (count < n) {
        fmin = fv;
        grad(b, g);
        gradcount++;
        iter++;
        let D1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] = steplength * t[i]!;
          c[i] = g[i]! - c[i]!;
          D1 += t[i]! * c[i]!;
        }
        if (D1 > 0) {
          let D2 = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j <= i; j++) s += B[i]![j]! * c[j]!;
            for (let j = i + 1; j < n; j++) s += B[j]![i]! * c[j]!;
            X[i] = s;
            D2 += s * c[i]!;
          }
          D2 = 1 + D2 / D1;
          for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) B[i]![j]! += (D2 * t[i]! * t[j]! - X[i]! * t[j]! - t[i]! * X[j]!) / D1;
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  return out(fmin, iter < maxit);
}

/**
 * Numerical Hessian as R's optimHess: central differences of the numerical gradient
 * (ndeps on the scaled parameters), symmetrised. Returned on the unscaled parameters.
 */
export function numericHessian(fn: (x: Float64Array) => number, par: ArrayLike<number>, options: { ndeps?: number; parscale?: ArrayLike<number> } = {}): Float64Array[] {
  const n = par.length;
  const nd = options.ndeps ?? 1e-3;
  const scale = Float64Array.from({ length: n }, (_, i) => options.parscale?.[i] ?? 1);
  const x = Float64Array.from(par);
  const gradAt = (): Float64Array => centralGradient(fn, x, (i) => nd * scale[i]!, new Float64Array(n));
  const H: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const e = nd * scale[i]!;
    const xi = x[i]!;
    x[i] = xi + e;
    const g1 = gradAt();
    x[i] = xi - e;
    const g2 = gradAt();
    x[i] = xi;
    for (let j = 0; j < n; j++) H[i]![j] = (g1[j]! - g2[j]!) / (2 * e);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const v = (H[i]![j]! + H[j]![i]!) / 2;
    H[i]![j] = v;
    H[j]![i] = v;
  }
  return H;
}
