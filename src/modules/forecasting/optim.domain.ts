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
