/** Small pieces of the lanes pages: mode names and badges, seasonal periods, a rule's headline and its arithmetic, the plan line. */
import { Badge, List, Stack, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useModeName } from '../../delivery/web/transport-mode.js';
import type { Figures, Lane, Mode, Rule } from './lanes-api.js';

export const modeColor: Record<Mode, string> = { ship: 'blue', rail: 'grape', road: 'orange' };

export function ModeBadge({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  // A mode's name is never cut ("R…" in a narrow table cell on a phone): the badge keeps its text's width.
  return <Badge color={modeColor[mode]} variant="light" style={{ minWidth: 'max-content' }}>{modeName(mode)}</Badge>;
}

const ruleColor: Record<Rule['status'], string> = { proposed: 'orange', approved: 'teal', rejected: 'red', superseded: 'gray' };
export function RuleStatusBadge({ status }: { status: Rule['status'] }) {
  const { t } = useTranslation();
  return <Badge color={ruleColor[status]} variant="light">{t(`lanes.status.${status}`)}</Badge>;
}

/** MM-DD → "Jul 1" / "7月1日"; a period → "Jul 1 – Sep 30". */
export function usePeriod() {
  const f = useFormat();
  const day = useCallback((md: string) => f.monthDay(`2021-${md}`), [f]);
  return useCallback((fromDay: string, toDay: string) => `${day(fromDay)} – ${day(toDay)}`, [day]);
}

export const pct = (x: number) => Math.round(x * 1000) / 10;
export const days1 = (x: number) => Math.round(x * 10) / 10;

/** "Rail Jul 1 – Sep 30 (ship otherwise)", or the default mode alone. */
export function PlanLine({ lane }: { lane: Lane }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const period = usePeriod();
  if (!lane.plan) return <Text size="sm" c="dimmed">{t('lanes.noPlan', { mode: modeName(lane.defaultMode) })}</Text>;
  const p = lane.plan;
  return (
    <Text size="sm">
      {t('lanes.planLine', { to: modeName(p.toMode), period: period(p.fromDay, p.toDay), otherwise: modeName(lane.defaultMode) })}
      {' · '}
      <Text span size="sm" c={p.inForce ? 'teal.8' : 'dimmed'}>{p.inForce ? t('lanes.inForce') : t('lanes.startsIn', { count: p.startsInDays })}</Text>
    </Text>
  );
}

/** The rule in one sentence: "Rail Jul 1 – Sep 30: +¥23.33 a tonne (¥69,990 for 3,000 t), 0.3 days later expected, disruption chance 40 % → 8 %". */
export function RuleHeadline({ figures: x }: { figures: Figures }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const period = usePeriod();
  return (
    <Text fw={600}>
      {t(x.daysSaved >= 0 ? 'lanes.rule.headlineSooner' : 'lanes.rule.headlineLater', {
        to: modeName(x.to), period: period(x.fromDay, x.toDay), extra: `${x.extraPerTonneMinor > 0 ? '+' : ''}${f.money(x.extraPerTonneMinor, x.currency)}`,
        cost: f.money(x.costDeltaMinor, x.currency), tonnes: f.number(Math.round(x.periodTonnes)), days: f.number(Math.abs(days1(x.daysSaved))),
        chanceFrom: f.number(pct(x.chanceFrom)), chanceTo: f.number(pct(x.chanceTo)),
      })}
    </Text>
  );
}

/** Every figure of the rule and the sums behind it. */
export function RuleArithmetic({ figures: x, distanceKm }: { figures: Figures; distanceKm?: number }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const a = x.arithmetic;
  const money = (m: number) => f.money(m, x.currency);
  const list = (xs: number[], fmt: (n: number) => string) => xs.map((v) => (v < 0 ? `(${fmt(v)})` : fmt(v))).join(' + ');
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{t('lanes.rule.arithmetic')}</Text>
      <List size="sm" spacing={2}>
        <List.Item>{t('lanes.rule.extra', { monthly: list(a.extraPerTonne.monthly, money), count: a.extraPerTonne.count, mean: money(a.extraPerTonne.mean) })}</List.Item>
        <List.Item>{t('lanes.rule.tonnes', { annual: f.number(a.cost.annualTonnes), months: a.cost.monthCount, period: f.number(Math.round(a.cost.periodTonnes * 10) / 10) })}</List.Item>
        <List.Item>{t('lanes.rule.cost', { period: f.number(Math.round(a.cost.periodTonnes * 10) / 10), perTonne: money(a.cost.perTonneMinor), total: money(a.cost.totalMinor) })}</List.Item>
        <List.Item>{t('lanes.rule.days', { monthly: list(a.daysSaved.monthly.map(days1), (n) => f.number(n)), count: a.daysSaved.count, mean: f.number(days1(a.daysSaved.mean)), typhoon: f.number(days1(x.typhoonDelaySaved)) })}</List.Item>
        <List.Item>{t('lanes.rule.chance', {
          years: a.chance.yearsWithPassage, of: a.chance.years, km: distanceKm ?? '—', ef: f.number(a.chance.exposureFrom), et: f.number(a.chance.exposureTo),
          from: modeName(x.from), to: modeName(x.to), pf: f.number(pct(x.chanceFrom)), pt: f.number(pct(x.chanceTo)),
        })}</List.Item>
      </List>
    </Stack>
  );
}
