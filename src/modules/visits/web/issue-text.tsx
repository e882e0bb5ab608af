import { useTranslation } from 'react-i18next';
import type { Issue } from './use-visits.js';

const dayCodes = new Set(['closed', 'visit-too-long', 'fixed-slot-outside-opening-hours', 'fixed-slot-outside-day', 'outside-day', 'unreachable', 'cannot-return', 'fixed-slot-conflict', 'day-full', 'would-displace']);
const codes = new Set([...dayCodes, 'no-location', 'fixed-day-not-planned', 'no-day-possible', 'fits-no-day']);

/**
 * Why the planner could not place a visit, in the user's language: the server sends a code and its
 * parameters (times, opening hours, days); the English `reason` is only a fallback for unknown codes.
 */
export function useIssueText() {
  const { t, i18n } = useTranslation();
  const day = (d: string | undefined) => (d ? t(`visits.weekdays.${d}`) : '');
  const list = (xs: string[]) => new Intl.ListFormat(i18n.language, { style: 'short', type: 'unit' }).format(xs);
  return (issue: Pick<Issue, 'code' | 'params' | 'reason'>): string => {
    const p = issue.params;
    const hours = p.openingHours === undefined ? t('visits.unassigned.allDay') : p.openingHours.length === 0 ? t('visits.unassigned.closedThatDay') : list(p.openingHours);
    const vars = {
      day: day(p.weekday), duration: p.durationMinutes ?? '', hours, fixed: p.fixedStart ?? '', dayStart: p.dayStart ?? '', dayEnd: p.dayEnd ?? '',
      arrival: p.earliestArrival ?? '', end: p.visitEnd ?? '', minutes: p.returnMinutes ?? '', count: p.otherVisits ?? 0,
      days: list((p.planningDays ?? []).map(day)),
    };
    if (issue.code === 'fits-no-day') {
      const perDay = (p.days ?? []).map((d) => `${day(d.weekday)}: ${t(`visits.unassignedDay.${dayCodes.has(d.code) ? d.code : 'other'}`, { count: d.visits ?? 0 })}`);
      return t('visits.unassigned.fits-no-day', { reasons: perDay.join('; ') });
    }
    if (issue.code === 'unreachable' && p.earliestArrival) return t('visits.unassigned.unreachableArrival', vars);
    if (issue.code === 'cannot-return' && p.visitEnd) return t('visits.unassigned.cannotReturnAt', vars);
    if (issue.code === 'day-full' && p.otherVisits !== undefined) return t('visits.unassigned.dayFullWith', vars);
    return codes.has(issue.code) ? t(`visits.unassigned.${issue.code}`, vars) : t('visits.unassigned.other');
  };
}

export function IssueText({ issue }: { issue: Pick<Issue, 'code' | 'params' | 'reason'> }) {
  const text = useIssueText();
  return <>{text(issue)}</>;
}
