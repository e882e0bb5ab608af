import { z } from 'zod';
import { ConfigError } from '../../server/config.js';
import { isTimeZone } from '../../shared/time.js';
import { parseWindows, type WorkingCalendar } from './sla.domain.js';
import { loadChinaHolidays } from './work-calendar.js';

/**
 * Settings of the service desk, from the environment, parsed once when the routes are registered:
 * the working time its service levels count in, and how often the clocks are checked.
 */
const EnvSchema = z.object({
  OPENKAM_SERVICE_TIME_ZONE: z.string().default('Asia/Shanghai').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  OPENKAM_SERVICE_HOURS: z.string().default('09:00-12:00,13:00-18:00'),
  OPENKAM_SERVICE_WEEKDAYS: z.string().regex(/^[1-7](,[1-7])*$/, 'ISO weekdays separated by commas, 1 = Monday').default('1,2,3,4,5'),
  OPENKAM_SERVICE_CALENDAR: z.enum(['cn', 'none']).default('cn'),
  OPENKAM_SLA_CHECK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(5),
});

export type ServiceSettings = { calendar: WorkingCalendar; calendarName: 'cn' | 'none'; checkMinutes: number };

export function loadServiceSettings(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  let windows: [number, number][];
  try {
    windows = parseWindows(e.OPENKAM_SERVICE_HOURS);
  } catch (err) {
    throw new ConfigError(`OPENKAM_SERVICE_HOURS: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    calendar: {
      timeZone: e.OPENKAM_SERVICE_TIME_ZONE,
      windows,
      weekdays: e.OPENKAM_SERVICE_WEEKDAYS.split(',').map(Number),
      holidays: e.OPENKAM_SERVICE_CALENDAR === 'cn' ? loadChinaHolidays() : null,
    },
    calendarName: e.OPENKAM_SERVICE_CALENDAR,
    checkMinutes: e.OPENKAM_SLA_CHECK_MINUTES,
  };
}
