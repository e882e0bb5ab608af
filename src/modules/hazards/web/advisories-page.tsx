/** The advisory board: columns by state on a desktop, a list with a state filter on a phone. */
import { Badge, Card, Group, ScrollArea, SegmentedControl, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { AdvisoryCard } from './advisory-card.js';
import { advisoryStatuses, useAdvisories, type Advisory, type AdvisoryStatus } from './hazards-api.js';
import { HazardsHeader, Pager, usePaged } from './hazards-ui.js';

const PHONE_PAGE = 10;

function valueTotal(items: Advisory[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of items) if (a.valueAtRisk) m.set(a.valueAtRisk.currency, (m.get(a.valueAtRisk.currency) ?? 0) + a.valueAtRisk.amountMinor);
  return m;
}

export function AdvisoriesPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const phone = useMediaQuery('(max-width: 62em)');
  const [params, setParams] = useSearchParams();
  const mine = params.get('mine') === '1';
  const status = (advisoryStatuses as readonly string[]).includes(params.get('status') ?? '') ? params.get('status') as AdvisoryStatus : 'open';
  const focus = params.get('advisory');
  const list = useAdvisories({ mine, lang: i18n.language });
  // A new filter starts on its first page.
  const set = (k: string, v: string | null) => { const p = new URLSearchParams(params); if (v) p.set(k, v); else p.delete(k); if (k !== 'page') p.delete('page'); setParams(p, { replace: true }); };
  const items = list.data ?? [];
  const by = (s: AdvisoryStatus) => items.filter((a) => a.status === s);
  const phoneList = usePaged(by(status), PHONE_PAGE);

  // A notification links here with ?advisory=…: show its state on a phone and scroll it into view.
  const focused = focus ? items.find((a) => a.id === focus) : undefined;
  useEffect(() => {
    if (!focused) return;
    if (phone && focused.status !== status) set('status', focused.status);
    else if (phone) {
      const at = by(status).findIndex((a) => a.id === focused.id);
      if (at >= 0 && Math.floor(at / PHONE_PAGE) + 1 !== phoneList.page) phoneList.setPage(Math.floor(at / PHONE_PAGE) + 1);
    }
    requestAnimationFrame(() => document.querySelector(`[data-advisory="${focused.id}"]`)?.scrollIntoView({ block: 'center' }));
  }, [focused?.id, phone, status]); // eslint-disable-line react-hooks/exhaustive-deps

  const total = (list: Advisory[]) => [...valueTotal(list)].map(([c, v]) => f.money(v, c, true)).join(' + ');
  // Advisories whose stock value is not recorded are counted apart, never as zero.
  const unknownNote = (list: Advisory[]) => {
    const n = list.filter((a) => !a.valueAtRisk).length;
    return n ? t('hazards.advisories.valueUnknownCount', { count: n }) : null;
  };

  const column = (s: AdvisoryStatus) => {
    const rows = by(s);
    return (
      <Card key={s} padding="xs" bg="gray.1" component="section" aria-labelledby={`adv-col-${s}`} data-testid={`advisory-column-${s}`}>
        <Group justify="space-between" mb="xs" px={4}>
          <Title order={2} size="h6" id={`adv-col-${s}`}>{t(`hazards.advisories.status.${s}`)}</Title>
          <Badge variant="white" color="dark" size="sm">{f.number(rows.length)}</Badge>
        </Group>
        {s !== 'closed' && rows.length > 0 && (
          <Text size="xs" c="dimmed" px={4} mb={6} data-testid="column-value">
            {[rows.some((a) => a.valueAtRisk) ? t('hazards.advisories.columnValue', { value: total(rows) }) : null, unknownNote(rows)].filter(Boolean).join(' · ')}
          </Text>
        )}
        <ScrollArea.Autosize mah="calc(100vh - 300px)" type="auto" offsetScrollbars>
          <Stack gap="xs">
            {rows.length === 0 ? <Text size="sm" c="dimmed" ta="center" py="md">{t('hazards.advisories.columnEmpty')}</Text>
              : rows.map((a) => <AdvisoryCard key={a.id} advisory={a} highlight={a.id === focus} />)}
          </Stack>
        </ScrollArea.Autosize>
      </Card>
    );
  };

  return (
    <>
      <HazardsHeader title={t('hazards.advisories.title')} subtitle={t('hazards.advisories.subtitle')} />
      <Group justify="space-between" mb="md" gap="sm">
        <Switch label={t('hazards.advisories.onlyMine')} checked={mine} onChange={(e) => set('mine', e.currentTarget.checked ? '1' : null)} />
        {items.length > 0 && (() => {
          const underWay = items.filter((a) => a.status !== 'closed');
          const value = total(underWay);
          const unknown = unknownNote(underWay);
          return <Text size="sm" c="dimmed">{value ? t('hazards.advisories.summary', { open: underWay.length, value }) : t('hazards.advisories.summaryNoValue', { count: underWay.length })}{unknown ? ` · ${unknown}` : ''}</Text>;
        })()}
      </Group>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : items.length === 0 ? (
        <Card><Empty title={t('hazards.advisories.empty')}>{t('hazards.advisories.emptyBody')}</Empty></Card>
      ) : phone ? (
        <>
          <SegmentedControl fullWidth mb="sm" value={status} onChange={(v) => set('status', v)} aria-label={t('hazards.advisories.filter')}
            data={advisoryStatuses.map((s) => ({ value: s, label: `${t(`hazards.advisories.status.${s}`)} ${by(s).length}` }))} />
          <Stack gap="xs" data-testid={`advisory-column-${status}`} id="advisory-phone-list">
            {phoneList.total === 0 ? <Empty title={t('hazards.advisories.columnEmpty')} /> : phoneList.rows.map((a) => <AdvisoryCard key={a.id} advisory={a} highlight={a.id === focus} />)}
          </Stack>
          <Pager {...phoneList} anchor="advisory-phone-list" testId="advisories-pager" />
        </>
      ) : (
        <SimpleGrid cols={4} spacing="sm" data-testid="advisory-board">{advisoryStatuses.map(column)}</SimpleGrid>
      )}
    </>
  );
}
