/**
 * Use cases of the routing module that need travel data from a provider (coordinates model,
 * OSRM…): fetch the matrix once, then call the pure planners.
 */
import { planDay, type DayPlan, type DayPlanInput, type DayPlanOptions } from './routing.day-planner.domain.js';
import { createCoordinateTravelProvider, type TravelMatrixProvider } from './routing.travel.domain.js';
import { planWeek, type WeekPlan, type WeekPlanInput, type WeekPlanOptions } from './routing.week-planner.domain.js';

/** Plans a manager's day with travel times from `provider` (default: coordinates model). */
export async function planManagerDay(
  input: DayPlanInput,
  options: Omit<DayPlanOptions, 'matrix'> & { provider?: TravelMatrixProvider } = {},
): Promise<DayPlan> {
  const { provider = createCoordinateTravelProvider(options.travel), ...rest } = options;
  const points = [input.base, ...input.stops.map((s) => s.location), ...(input.end ? [input.end] : [])];
  return planDay(input, { ...rest, matrix: await provider.matrix(points) });
}

/** Plans a manager's week with travel times from `provider` (default: coordinates model). */
export async function planManagerWeek(
  input: WeekPlanInput,
  options: Omit<WeekPlanOptions, 'matrix'> & { provider?: TravelMatrixProvider } = {},
): Promise<WeekPlan> {
  const { provider = createCoordinateTravelProvider(options.travel), ...rest } = options;
  const points = [input.base, ...input.accounts.map((a) => a.location)];
  return planWeek(input, { ...rest, matrix: await provider.matrix(points) });
}
