/**
 * The visit program's port to the route solver. The service asks for a day or a week plan
 * through this small interface; the default is the routing module's day and week planners.
 */
import { buildDayProblem, describeDay, planDay, type DayPlan, type DayPlanInput } from '../routing/routing.day-planner.domain.js';
import { planWeek, type WeekPlan, type WeekPlanInput } from '../routing/routing.week-planner.domain.js';

/** The drive of a day in a given order: from the base through the stops and back. */
export type DayDrive = { travelMinutes: number; travelMetres: number };

export type VisitPlanner = {
  planDay(input: DayPlanInput): DayPlan;
  planWeek(input: WeekPlanInput): WeekPlan;
  /** The drive of the day's stops in the order given (stop ids), on the same travel model as `planDay`. */
  measureDay(input: DayPlanInput, order: readonly string[]): DayDrive;
};

export type { DayPlan, DayPlanInput, WeekPlan, WeekPlanInput };

/** The routing module's planners (deterministic: fixed seed). */
export const routingPlanner: VisitPlanner = {
  planDay: (input) => planDay(input, { seed: 1 }),
  planWeek: (input) => planWeek(input, { seed: 1 }),
  measureDay: (input, order) => {
    const index = new Map(input.stops.map((s, i) => [s.id, i + 1]));
    const nodes = order.map((id) => index.get(id)!).filter((n) => n !== undefined);
    const plan = describeDay(input, buildDayProblem(input), nodes, []);
    return { travelMinutes: plan.travelMinutes, travelMetres: plan.travelMetres };
  },
};
