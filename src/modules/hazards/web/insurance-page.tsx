/**
 * Insurance gaps: uninsured, refused, expired, expiring or under-insured sites, ranked by the
 * uncovered stock value × exposure; below them, apart, the sites that cannot be ranked because
 * their stock value or insurance is not recorded (never ranked as if it were zero). Both paged.
 */
import { Anchor, Badge, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useInsuranceGaps, type InsuranceGap, type UnrankedGap } from './hazards-api.js';
import { ExposureFactor, ExposureLegend, HazardsHeader, InsuranceBadge, MoneyCell, Pager, useDistance, useMoneyOrUnknown, usePage } from './hazards-ui.js';
import { AccountName } from '../../../web/ui/account-name.js';

const reasonColor: Record<InsuranceGap['reason'], string> = { uninsured: 'red.8', refused: 'red.8', expired: 'orange.4', expiring: 'yellow.4', underinsured: 'grape.7' };
const PAGE = 25;
const UNKNOWN_PAGE = 20;
/** A badge keeps its whole text: its column widens rather than clip it to "FLOOD-P…" or "EXPIRES IN 45 DA…". */
const noClip = { root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } as const;
/** On a phone each row is a card: fewer per page. */
const PHONE_PAGE = 10;

export function ReasonBadge({ gap }: { gap: Pick<InsuranceGap, 'reason' | 'daysToExpiry'> }) {
  const { t } = useTranslation();
  return (
    <Badge color={reasonColor[gap.reason]} variant="filled" autoContrast size="sm" radius="sm" styles={noClip}>
      {gap.reason === 'expiring' && gap.daysToExpiry !== null ? t('hazards.insurance.expiringIn', { count: gap.daysToExpiry }) : t(`hazards.insurance.reasons.${gap.reason}`)}
    </Badge>
  );
}

function SiteCell({ site }: { site: InsuranceGap['site'] }) {
  return (
    <>
      <Text size="sm" fw={600}>{site.siteName}</Text>
      <Anchor component={Link} to={`/accounts/${site.accountId}?tab=risk`} size="xs"><AccountName account={site} /></Anchor>
    </>
  );
}

function CoastCell({ site }: { site: InsuranceGap['site'] }) {
  const { t } = useTranslation();
  const dist = useDistance();
  return (
    <>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{dist(site.coastDistanceM)}</Text>
      {site.floodProne && <Badge size="xs" color="blue" variant="light" styles={noClip}>{t('hazards.risk.floodProne')}</Badge>}
    </>
  );
}

function Missing({ gap }: { gap: UnrankedGap }) {
  const { t } = useTranslation();
  return <Group gap={4}>{gap.missing.map((m) => <Badge key={m} size="sm" variant="outline" color="gray" data-testid="missing">{t(`hazards.insurance.missing.${m}`)}</Badge>)}</Group>;
}

export function InsurancePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoneyOrUnknown();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const [days, setDays] = useState('60');
  // The totals come with a page: until the first one arrives, any page asked for is taken as it is.
  const [totals, setTotals] = useState<{ ranked: number; unknown: number } | null>(null);
  const size = phone ? PHONE_PAGE : PAGE, unknownSize = phone ? PHONE_PAGE : UNKNOWN_PAGE;
  const ranked = usePage(totals?.ranked ?? Number.MAX_SAFE_INTEGER, size, 'page');
  const unranked = usePage(totals?.unknown ?? Number.MAX_SAFE_INTEGER, unknownSize, 'unrankedPage');
  const gaps = useInsuranceGaps({ withinDays: Number(days), offset: ranked.from, limit: size, unknownOffset: unranked.from, unknownLimit: unknownSize });
  const data = gaps.data;
  useEffect(() => { if (data) setTotals({ ranked: data.total, unknown: data.unknown.total }); }, [data]);
  const changeDays = (v: string) => {
    setDays(v);
    const p = new URLSearchParams(params);
    p.delete('page');
    p.delete('unrankedPage');
    setParams(p, { replace: true });
  };
  const uncovered = data?.uncovered.map((m) => f.money(m.amountMinor, m.currency, true)).join(' + ');

  return (
    <>
      <HazardsHeader title={t('hazards.insurance.title')} subtitle={t('hazards.insurance.subtitle')} />
      <Group mb="sm" align="flex-end">
        <Select w={220} label={t('hazards.insurance.within')} value={days} onChange={(v) => v && changeDays(v)} allowDeselect={false}
          data={['30', '60', '90', '180'].map((d) => ({ value: d, label: t('hazards.insurance.days', { count: Number(d) }) }))} />
        {data && (
          <Text size="sm" c="dimmed" pb={6} data-testid="gap-summary">
            {uncovered ? t('hazards.insurance.summary', { count: data.total, value: uncovered }) : t('hazards.insurance.count', { count: data.total })}
            {data.unknown.total > 0 && ` · ${t('hazards.insurance.unrankedCount', { count: data.unknown.total })}`}
          </Text>
        )}
      </Group>
      <Stack gap={4} mb="md">
        <Text size="xs" c="dimmed">{t('hazards.insurance.rankingHelp')}</Text>
        <ExposureLegend />
      </Stack>
      {gaps.isError ? <ErrorState error={gaps.error} onRetry={() => void gaps.refetch()} /> : !data ? <Loading /> : (
        <>
          <section aria-labelledby="gaps-ranked" id="gaps-ranked-list">
            <Title order={2} size="h5" mb="xs" id="gaps-ranked">{t('hazards.insurance.ranked', { count: data.total })}</Title>
            {data.items.length === 0 ? (
              <Card><Empty title={t('hazards.insurance.empty')}>{t(data.unknown.total ? 'hazards.insurance.emptyButUnknown' : 'hazards.insurance.emptyBody')}</Empty></Card>
            ) : phone ? (
              <Stack gap="xs" data-testid="insurance-gaps">
                {data.items.map((g, i) => (
                  <Card key={g.site.siteId} padding="sm" data-testid="gap-row">
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <div style={{ minWidth: 0 }}><Text size="sm" fw={600}>{ranked.from + i + 1}. {g.site.siteName}</Text><Anchor component={Link} to={`/accounts/${g.site.accountId}?tab=risk`} size="xs"><AccountName account={g.site} /></Anchor></div>
                      <ReasonBadge gap={g} />
                    </Group>
                    <Text size="xs" c="dimmed" mt={4}>{t('hazards.risk.inventory')}: {money(g.site.inventory)} · {t('hazards.risk.cover')}: {g.site.insurance.cover ? money(g.site.insurance.cover) : '—'}</Text>
                    <Group gap={6} mt={4} wrap="wrap">
                      <Text size="xs">{t('hazards.insurance.uncovered')}: <b>{f.money(g.uncoveredValueMinor, g.site.inventory!.currency)}</b></Text>
                      <Text size="xs">· {t('hazards.insurance.exposure')}: <ExposureFactor gap={g} /></Text>
                    </Group>
                    <Text size="xs" fw={700} mt={2}>{t('hazards.insurance.weighted')}: {f.money(g.weightedValueMinor, g.site.inventory!.currency)}</Text>
                  </Card>
                ))}
              </Stack>
            ) : (
              <Card padding={0}>
                <Table.ScrollContainer minWidth={980}>
                  <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="insurance-gaps">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>#</Table.Th>
                        <Table.Th miw={170}>{t('hazards.risk.site')}</Table.Th>
                        <Table.Th>{t('hazards.insurance.reason')}</Table.Th>
                        <Table.Th ta="right">{t('hazards.risk.inventory')}</Table.Th>
                        <Table.Th ta="right">{t('hazards.risk.cover')}</Table.Th>
                        <Table.Th ta="right">{t('hazards.insurance.uncovered')}</Table.Th>
                        <Table.Th>{t('hazards.risk.coast')}</Table.Th>
                        <Table.Th ta="right">{t('hazards.insurance.exposure')}</Table.Th>
                        <Table.Th ta="right">{t('hazards.insurance.weighted')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.items.map((g, i) => (
                        <Table.Tr key={g.site.siteId} data-testid="gap-row">
                          <Table.Td><Text size="sm" c="dimmed">{ranked.from + i + 1}</Text></Table.Td>
                          <Table.Td><SiteCell site={g.site} /></Table.Td>
                          <Table.Td>
                            <ReasonBadge gap={g} />
                            {g.site.insurance.refusedReason && <Text size="xs" c="dimmed">{g.site.insurance.refusedReason}</Text>}
                          </Table.Td>
                          <Table.Td ta="right" className="ok-stat"><MoneyCell value={g.site.inventory} /></Table.Td>
                          <Table.Td ta="right" className="ok-stat">{g.site.insurance.cover ? money(g.site.insurance.cover) : '—'}{g.site.insurance.expiresOn && <Text size="xs" c="dimmed">{t('hazards.risk.until', { date: f.monthDay(g.site.insurance.expiresOn) })}</Text>}</Table.Td>
                          <Table.Td ta="right" className="ok-stat">
                            {f.money(g.uncoveredValueMinor, g.site.inventory!.currency)}
                            {g.uninsuredShare < 1 && <Text size="xs" c="dimmed">{t('hazards.insurance.share', { percent: f.number(Math.round(g.uninsuredShare * 100)) })}</Text>}
                          </Table.Td>
                          <Table.Td><CoastCell site={g.site} /></Table.Td>
                          <Table.Td ta="right" className="ok-stat"><ExposureFactor gap={g} /></Table.Td>
                          <Table.Td ta="right" className="ok-stat" fw={600}>{f.money(g.weightedValueMinor, g.site.inventory!.currency)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
            )}
            <Pager {...ranked} total={data.total} anchor="gaps-ranked-list" testId="gaps-pager" />
          </section>

          {data.unknown.total > 0 && (
            <section aria-labelledby="gaps-unranked" id="gaps-unranked-list" style={{ marginTop: 'var(--mantine-spacing-xl)' }} data-testid="unranked-gaps">
              <Title order={2} size="h5" id="gaps-unranked">{t('hazards.insurance.unranked', { count: data.unknown.total })}</Title>
              <Text size="sm" c="dimmed" mb="xs">
                {t('hazards.insurance.unrankedWhy', { stock: data.unknown.missingStock, insurance: data.unknown.missingInsurance })}
              </Text>
              {phone ? (
                <Stack gap="xs">
                  {data.unknown.items.map((g) => (
                    <Card key={g.site.siteId} padding="sm" data-testid="unranked-row">
                      <Group justify="space-between" wrap="nowrap" align="flex-start"><div style={{ minWidth: 0 }}><SiteCell site={g.site} /></div><InsuranceBadge insurance={g.site.insurance} /></Group>
                      <Group gap={6} mt={4}><Missing gap={g} />{g.reason && <ReasonBadge gap={{ reason: g.reason, daysToExpiry: g.daysToExpiry }} />}</Group>
                      <Text size="xs" c="dimmed" mt={4}>{t('hazards.risk.inventory')}: {money(g.site.inventory)} · {t('hazards.insurance.exposure')}: <ExposureFactor gap={g} /></Text>
                    </Card>
                  ))}
                </Stack>
              ) : (
                <Card padding={0}>
                  <Table.ScrollContainer minWidth={860}>
                    <Table verticalSpacing="xs" horizontalSpacing="md">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('hazards.risk.site')}</Table.Th>
                          <Table.Th>{t('hazards.insurance.toRecord')}</Table.Th>
                          <Table.Th>{t('hazards.risk.insuranceLabel')}</Table.Th>
                          <Table.Th ta="right">{t('hazards.risk.inventory')}</Table.Th>
                          <Table.Th>{t('hazards.risk.coast')}</Table.Th>
                          <Table.Th ta="right">{t('hazards.insurance.exposure')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {data.unknown.items.map((g) => (
                          <Table.Tr key={g.site.siteId} data-testid="unranked-row">
                            <Table.Td><SiteCell site={g.site} /></Table.Td>
                            <Table.Td><Missing gap={g} /></Table.Td>
                            <Table.Td><Group gap={4}><InsuranceBadge insurance={g.site.insurance} />{g.reason && <ReasonBadge gap={{ reason: g.reason, daysToExpiry: g.daysToExpiry }} />}</Group></Table.Td>
                            <Table.Td ta="right" className="ok-stat"><MoneyCell value={g.site.inventory} /></Table.Td>
                            <Table.Td><CoastCell site={g.site} /></Table.Td>
                            <Table.Td ta="right" className="ok-stat"><ExposureFactor gap={g} /></Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              )}
              <Pager {...unranked} total={data.unknown.total} anchor="gaps-unranked-list" testId="unranked-pager" />
            </section>
          )}
        </>
      )}
    </>
  );
}
