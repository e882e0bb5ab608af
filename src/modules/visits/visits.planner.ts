/**
 * The visit program's port to the route solver. The service asks for a day or a week plan
 * through this small interface; the default is the routing module's day and week planners.
 */
import { planDay, type DayPlan, type DayPlanInput } from '../routing/routing.day-planner.domain.js';
import { planWeek, type WeekPlan, type WeekPlanInput } from '../routing/routing.week-planner.domain.js';

export type VisitPlanner = {
  planDay(input: DayPlanInput): DayPlan;
  planWeek(input: WeekPlanInput): WeekPlan;
};

export type { DayPlan, DayPlanInput, WeekPlan, WeekPlanInput };

/** The routing module's planners (deterministic: fixed seed). */
export const routingPlanner: VisitPlanner = {
  planDay: (input) => planDay(input, { seed: 1 }),
  planWeek: (input) => planWeek(input, { seed: 1 }),
};
