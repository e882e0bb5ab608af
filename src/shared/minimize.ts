/**
 * BFGS minimiser for smooth objectives with an analytic gradient (the maximum-likelihood fits:
 * BG/NBD, …). The forecasting module's optimisers (src/modules/forecasting/optim.domain.ts)
 * are ports of R's optim with numeric gradients, kept there to follow R's path step by step;
 * this one is for models whose gradient we can write down, where it converges in far fewer
 * evaluations and to a tighter optimum.
 */

/** Value and gradient at x; the gradient is written into g. Non-finite values are rejected steps. */
export type ValueAndGradient = (x: Float64Array, g: Float64Array) => number;

export type MinimizeOptions = {
  /** Stop when every |gradient component| ≤ gtol (default 1e-9). */
  gtol?: number;
  /** Maximum iterations (default 500). */
  maxIterations?: number;
  /** Largest move of any coordinate in one step (default 2): keeps exp-transformed parameters finite. */
  maxStep?: number;
  /** Most objective evaluations (default 5,000), line searches included. */
  maxEvaluations?: number;
  /**
   * Stop after this many iterations in a row that each lower the value by less than 1e-13
   * relative (default 10): a flat ridge or a maximum at infinity, where the gradient test may
   * never pass. Converged then means the gradient is below √gtol.
   */
  stallIterations?: number;
};

export type MinimizeResult = {
  x: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
};

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/**
 * Quasi-Newton minimisation (BFGS update of the inverse Hessian, Armijo backtracking line
 * search, the update skipped when the curvature condition fails). Converged means the gradient
 * test passed; otherwise the best point found is returned with converged = false.
 */
export function minimizeBfgs(fg: ValueAndGradient, start: ArrayLike<number>, o: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const gtol = o.gtol ?? 1e-9;
  const maxIterations = o.maxIterations ?? 500;
  const maxStep = o.maxStep ?? 2;
  const maxEvaluations = o.maxEvaluations ?? 5000;
  const stallIterations = o.stallIterations ?? 10;
  let stalled = 0;
  const x = Float64Array.from(start);
  let g = new Float64Array(n);
  let evaluations = 1;
  let f = fg(x, g);
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return { x, value: f, gradientNorm: NaN, iterations: 0, evaluations, converged: false };
  // Inverse Hessian approximation, row-major.
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let firstUpdate = true;
  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(g) <= gtol) return { x, value: f, gradientNorm: maxAbs(g), iterations: iter, evaluations, converged: true };
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j]! * g[j]!;
      d[i] = v;
    }
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = 1;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(d, g);
      firstUpdate = true;
    }
    let step = Math.min(1, maxStep / maxAbs(d));
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 60 && evaluations < maxEvaluations; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      evaluations++;
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease along the direction at machine precision: at the optimum, or stuck.
      const gn = maxAbs(g);
      return { x, value: f, gradientNorm: gn, iterations: iter, evaluations, converged: gn <= Math.sqrt(gtol) };
    }
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-14 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstUpdate) {
        // Scale the identity to the curvature seen (Nocedal & Wright 6.20) before the first update.
        const scale = sy / dot(y, y);
        for (let i = 0; i < n * n; i++) H[i] = H[i]! * scale;
        firstUpdate = false;
      }
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] = H[i * n + j]! + (1 + yHy * rho) * rho * s[i]! * s[j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!);
        }
      }
    }
    const fOld = f;
    x.set(xNew);
    [g, gNew] = [gNew, g];
    f = fNew;
    if (Math.abs(fOld - f) <= 1e-15 * Math.max(1, Math.abs(f)) && maxAbs(g) <= Math.sqrt(gtol)) {
      return { x, value: f, gradientNorm: maxAbs(g), iterations: iter + 1, evaluations, converged: true };
    }
    stalled = fOld - f <= 1e-13 * Math.max(1, Math.abs(f)) ? stalled + 1 : 0;
    if (stalled >= stallIterations || evaluations >= maxEvaluations) {
      const gn = maxAbs(g);
      return { x, value: f, gradientNorm: gn, iterations: iter + 1, evaluations, converged: gn <= gtol || (stalled >= stallIterations && gn <= Math.sqrt(gtol)) };
    }
  }
  return { x, value: f, gradientNorm: maxAbs(g), iterations: maxIterations, evaluations, converged: maxAbs(g) <= gtol };
}
