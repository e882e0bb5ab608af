/**
 * Types shared by the forecasting engine, its CLI and its benchmark.
 * Plain TypeScript types (no I/O): the engine takes numbers and returns numbers.
 */

/** A series to forecast: values in time order (null = missing), and observations per season. */
export type SeriesInput = {
  values: ReadonlyArray<number | null>;
  /** Observations per seasonal cycle: 12 monthly, 4 quarterly, 1 for none. */
  frequency: number;
};

export type ForecastMethod =
  | 'auto'
  | 'ets'
  | 'arima'
  | 'theta'
  | 'snaive'
  | 'naive'
  | 'ses'
  | 'croston'
  | 'sba'
  | 'tsb';

export type ForecastOptions = {
  /** Steps ahead (≥ 1). */
  horizon: number;
  /** Probability levels of the quantiles, each in (0, 1). Default DEFAULT_LEVELS. */
  levels?: readonly number[];
  /**
   * Clamp forecasts and quantiles at zero (demand cannot be negative).
   * Default: true when no observed value is negative.
   */
  nonNegative?: boolean;
  /**
   * Also return `totals`, the exact distribution of the demand totals, when the method has
   * one (the automatic choice on intermittent series). Off by default: it grows with the horizon.
   */
  distribution?: boolean;
};

/** A discrete distribution on a grid: P(value = j·step) = pmf[j]. */
export type DemandTotal = { step: number; pmf: number[] };

export const DEFAULT_LEVELS: readonly number[] = [0.5, 0.8, 0.9, 0.95, 0.99];

/** Forecast of one series. Arrays are indexed by step − 1. */
export type Forecast = {
  method: ForecastMethod;
  /** Human-readable model, e.g. "ETS(M,Ad,N)" or "Theta (seasonal)". */
  model: string;
  point: number[];
  levels: number[];
  /** quantiles[k][i]: quantile levels[k] of the demand at step i+1. Non-decreasing in k. */
  quantiles: number[][];
  /**
   * cumulative[k][i]: quantile levels[k] of the total demand over steps 1..i+1, when the
   * method can say (sums of per-step quantiles overstate a total). Used by replenishment.
   */
  cumulative?: number[][];
  /**
   * totals[i]: the distribution of the total demand over steps 1..i+1, when asked for
   * (`distribution: true`) and the method has an exact one. Replenishment computes expected
   * shortages (fill rates) from it exactly; otherwise it assumes normal steps.
   */
  totals?: DemandTotal[];
};

/** Codes of the errors the engine throws; the CLI maps them to exit code 2. */
export type ForecastErrorCode = 'invalid_series' | 'invalid_horizon' | 'invalid_option' | 'invalid_input';

/** The engine's one error type: a code, and a message meant for the person who gave the input. */
export class ForecastError extends Error {
  constructor(
    readonly code: ForecastErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ForecastError';
  }
}
