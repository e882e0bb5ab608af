/**
 * The concession-vs-value comparison with every number: (a) matching by price, over the expected
 * volume and on the other accounts of the price list; (b) the services that could be offered
 * instead, their unit cost and expected use; (c) the margin at risk if the account leaves; the
 * recommendation and why; and the waterfall it starts from.
 */
import { Alert, Card, Divider, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useContributionText } from '../../../web/contributions/contribution-text.js';
import { useFormat } from '../../../web/format.js';
import { Loading } from '../../../web/ui/states.js';
import type { Comparison } from './competition-api.js';
import { Line, RecommendationBadge, useServiceName, useUnitLabel } from './competition-ui.js';
import { WaterfallTable } from './waterfall-table.js';

const WaterfallChart = lazy(() => import('./waterfall-chart.js'));

export function ComparisonView({ c }: { c: Comparison }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useContributionText();
  const serviceName = useServiceName();
  const m = (v: number) => f.money(v, c.currency);
  const unitLabel = useUnitLabel();
  const unit = unitLabel(c.waterfall.productUnit);
  const reasonParams = { ...c.reasonParams, service: c.reasonParams.service ?? null, serviceEn: c.reasonParams.serviceEn ?? null };
  return (
    <Stack gap="md" data-testid="comparison">
      <Card padding="md" data-testid="recommendation-card">
        <Stack gap="xs">
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">{t('competition.compare.recommends')}</Text>
          <div><RecommendationBadge rec={c.recommendation} /></div>
          <Text size="sm" data-testid="reason">{text(c.reasonKey, reasonParams)}</Text>
          <Text size="xs" c="dimmed">{t('competition.compare.rule')}</Text>
        </Stack>
      </Card>
      <Card padding="md">
        <Stack gap={6}>
          <Line label={t('competition.compare.pocket', { unit })} value={m(c.pocketUnitMinor)} />
          <Line label={t('competition.compare.offer', { unit })} value={m(c.competitorUnitMinor)} />
          <Line label={t('competition.compare.cut', { unit })} value={m(c.cutPerUnitMinor)} strong testId="cut" />
          <Line label={t('competition.compare.expected', { months: c.horizonMonths })} value={`${f.number(c.expectedQuantity)} ${unit}`} />
          {c.expectedLow !== null && c.expectedHigh !== null && (
            <Text size="xs" c="dimmed">{t('competition.compare.range', { low: f.number(c.expectedLow), high: f.number(c.expectedHigh), unit, model: c.forecastModel })}</Text>
          )}
        </Stack>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Card padding="md" data-testid="option-match">
          <Title order={3} size="h5" mb="xs">{t('competition.compare.a')}</Title>
          <Stack gap={6}>
            <Line label={t('competition.compare.own', { cut: m(c.cutPerUnitMinor), qty: f.number(c.expectedQuantity), unit })} value={m(c.matching.ownMinor)} />
            {c.matching.shared ? (
              <Line label={t('competition.compare.shared', { count: c.matching.shared.accounts, qty: f.number(c.matching.shared.quantity), unit })} value={m(c.matching.shared.costMinor)} />
            ) : (
              <Line label={t('competition.compare.sharedUnknownLabel')} value={t('competition.unknown')} />
            )}
            <Divider />
            <Line label={c.matching.totalIsLowerBound ? t('competition.compare.totalAtLeast') : t('competition.compare.total')} value={m(c.matching.totalMinor)} strong testId="match-total" />
          </Stack>
        </Card>
        <Card padding="md" data-testid="option-value">
          <Title order={3} size="h5" mb="xs">{t('competition.compare.b')}</Title>
          {c.alternatives.length === 0 ? <Text size="sm" c="dimmed">{t('competition.compare.noAlternatives')}</Text> : (
            <Stack gap={8}>
              {c.alternatives.map((a) => (
                <div key={a.serviceKindId}>
                  <Line label={serviceName(a)} value={m(a.costMinor)} strong={a.serviceKindId === c.cheapest} />
                  <Text size="xs" c="dimmed">
                    {t('competition.compare.altBasis', { cost: m(a.unitCostMinor), use: f.number(Math.floor(a.expectedUse + 0.5)), basis: t(`competition.useBasis.${a.useBasis}`) })}
                    {a.shareOfMatchingPercent !== null ? ` · ${t('competition.compare.ofMatching', { percent: a.shareOfMatchingPercent })}` : ''}
                  </Text>
                </div>
              ))}
            </Stack>
          )}
        </Card>
        <Card padding="md" data-testid="option-margin">
          <Title order={3} size="h5" mb="xs">{t('competition.compare.c')}</Title>
          {c.marginAtRiskMinor === null || !c.marginBasis ? <Text size="sm">{t('competition.compare.marginUnknown')}</Text> : (
            <Stack gap={6}>
              <Line label={t('competition.compare.marginTrailing', { months: c.marginBasis.months })} value={m(c.marginBasis.marginMinor)} />
              <Line label={t('competition.compare.marginAtRisk', { months: c.horizonMonths })} value={m(c.marginAtRiskMinor)} strong testId="margin-at-risk" />
            </Stack>
          )}
        </Card>
      </SimpleGrid>
      <Card padding="md" data-testid="waterfall">
        <Title order={3} size="h5" mb="xs">{t('competition.waterfall.title')}</Title>
        <Suspense fallback={<Loading />}><WaterfallChart w={c.waterfall} /></Suspense>
        <WaterfallTable w={c.waterfall} />
        {c.waterfall.missing.length > 0 && (
          <Alert variant="light" color="gray" mt="sm" p="xs"><Text size="xs">{t('competition.waterfall.partial')}</Text></Alert>
        )}
      </Card>
    </Stack>
  );
}
