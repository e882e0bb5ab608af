/**
 * Attainment forecast: from a monthly basis series, the forecasting engine's cumulative
 * quantiles of the volume still to come, read as the probability of reaching each tier by the
 * period's end. Pure (the engine is pure too). Probabilities are floats: they are statements of
 * uncertainty, never money.
 *
 * Reading the quantiles as a distribution: between two quantile levels the distribution function
 * is linear; below the lowest quantile it falls linearly to 0 at zero volume (volume cannot be
 * negative); above the highest it rises linearly to 1 over the same width as the distance from
 * the median to the highest quantile. The expected rebate is the rebate at the median final basis.
 */
import { forecastSeries } from '../forecasting/forecasting.domain.js';
import { calcRebate, type RebateTerms } from './rebates.domain.js';

export const FORECAST_LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

export type TierChance = { tierIndex: number; from: number; probability: number };
export type AttainmentForecast = {
  model: string;
  levels: number[];
  /** The final basis at each level (basis to date + the volume to come at that level). */
  finalBasis: number[];
  chances: TierChance[];
  expectedRebateMinor: number;
};

/** P(volume still to come ≥ need), from quantiles (non-decreasing) at levels. */
export function chanceOfAtLeast(need: number, levels: readonly number[], quantiles: readonly number[]): number {
  if (need <= 0) return 1;
  const pts: [number, number][] = [];
  const q0 = quantiles[0]!;
  if (q0 > 0) pts.push([0, 0]);
  levels.forEach((p, i) => pts.push([quantiles[i]!, p]));
  const qMax = quantiles[quantiles.length - 1]!;
  const median = quantiles[Math.floor(quantiles.length / 2)]!;
  const width = Math.max(qMax - median, qMax * 0.1, 1);
  pts.push([qMax + width, 1]);
  let cdf = 1;
  if (need <= pts[0]![0]) cdf = pts[0]![1];
  else {
    for (let i = 1; i < pts.length; i++) {
      const [x0, p0] = pts[i - 1]!;
      const [x1, p1] = pts[i]!;
      if (need <= x1) {
        cdf = x1 === x0 ? p1 : p0 + ((need - x0) / (x1 - x0)) * (p1 - p0);
        break;
      }
    }
  }
  return Math.min(1, Math.max(0, 1 - cdf));
}

/**
 * The forecast of attainment: `history` is the monthly basis (oldest first, up to the last
 * complete month), `horizon` the months to the period's end counting the current one,
 * `currentMonthSoFar` what the current month has already booked (taken off the forecast of
 * the volume to come, floored at 0), `basisToDate` the basis so far.
 */
export function forecastAttainment(
  terms: RebateTerms,
  q: { history: number[]; horizon: number; currentMonthSoFar: number; basisToDate: number; reference?: number | null },
): AttainmentForecast | null {
  if (q.horizon < 1 || q.history.length < 3 || q.history.every((v) => v === 0)) return null;
  const f = forecastSeries({ values: q.history, frequency: q.history.length >= 24 ? 12 : 1 }, { horizon: q.horizon, levels: FORECAST_LEVELS, nonNegative: true });
  const cum = f.cumulative ?? f.quantiles.map((row) => row.map((_, i) => row.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  const toCome = cum.map((row) => Math.max(0, row[q.horizon - 1]! - q.currentMonthSoFar));
  const offset = terms.method === 'growth' ? (q.reference ?? 0) : 0;
  const chances = terms.tiers.map((t, i) => ({
    tierIndex: i,
    from: t.from,
    probability: round3(chanceOfAtLeast(t.from + offset - q.basisToDate, f.levels, toCome)),
  }));
  const finalBasis = toCome.map((v) => Math.round(q.basisToDate + v));
  const median = finalBasis[f.levels.indexOf(0.5)] ?? finalBasis[Math.floor(finalBasis.length / 2)]!;
  return { model: f.model, levels: f.levels, finalBasis, chances, expectedRebateMinor: calcRebate(terms, median, q.reference).rebateMinor };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
