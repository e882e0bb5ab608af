import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconCalendarDue, IconChartBar, IconChecklist, IconClockHour4, IconMapPin, IconPuzzle, IconRoute2, IconUsersGroup } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ComponentType, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AgendaFigure, AgendaItem, AgendaSection, FactStatus } from '../../platform/contributions.contract.js';
import { api } from '../api/client.js';
import { kindIcon } from '../features.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { TierBadge } from '../ui/badges.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { useContributionText } from './contribution-text.js';
import { FactCard, FactValueText, statusColor } from './fact-card.js';
import { AMBER_TEXT } from '../theme.js';

type Agenda = { date: string; items: AgendaItem[]; unavailable: string[]; sections: AgendaSection[] };

// The kinds of the modules without a web feature of their own; the others give theirs (kindIcons).
const shellKindIcon: Record<string, ComponentType<{ size?: number }>> = {
  visit: IconMapPin, advisory: IconAlertTriangle, task: IconChecklist, approval: IconChecklist, 'slot-change': IconRoute2, 'key-date': IconCalendarDue,
};
const sections = ['now', 'today', 'waiting', 'soon'] as const;

function AgendaRow({ item }: { item: AgendaItem }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const text = useContributionText();
  const Icon = kindIcon(item.kind) ?? shellKindIcon[item.kind] ?? IconPuzzle;
  const flagged = item.flags.some((fl) => fl.status === 'act');
  return (
    <Group wrap="nowrap" align="flex-start" gap="sm" py={8} data-testid="agenda-item" data-kind={item.kind} data-flagged={item.flags.length > 0 || undefined}>
      <ThemeIcon variant="light" color={flagged ? 'red' : item.urgency === 'now' ? 'orange' : 'brand'} size={34} radius="md" aria-hidden="true">
        {item.order !== undefined ? <Text fw={700} size="sm">{item.order}</Text> : <Icon size={18} />}
      </ThemeIcon>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="wrap">
          {item.at && item.kind === 'visit' && <Text size="sm" fw={700} className="ok-stat"><IconClockHour4 size={13} style={{ verticalAlign: -2 }} /> {f.time(item.at)}</Text>}
          <Anchor component={Link} to={item.link.to ?? '/'} fw={600} size="sm">{text(item.titleKey, item.params)}</Anchor>
        </Group>
        {item.account && (
          <Anchor component={Link} to={`/accounts/${item.account.id}`} size="xs" c="dimmed" display="block" truncate>
            <span className="ok-code">{item.account.code}</span> · {n.primary(item.account)}
          </Anchor>
        )}
        {/* A "watch" flag takes the amber text the hazards pages use: light orange does not read on its own background. */}
        {item.flags.length > 0 && (
          <Group gap={4} mt={4}>
            {item.flags.map((fl, i) => (
              <Badge key={i} color={statusColor[fl.status]} variant="light" style={fl.status === 'watch' ? { color: AMBER_TEXT } : undefined} size="sm" tt="none" leftSection={<IconAlertTriangle size={12} />} data-testid="agenda-flag">
                {text(fl.labelKey, fl.params)}
              </Badge>
            ))}
          </Group>
        )}
      </div>
      {item.link.to && <Button component={Link} to={item.link.to} size="compact-xs" variant="subtle" style={{ flexShrink: 0 }}>{t(`agenda.do.${item.kind}`, { defaultValue: t('agenda.open') })}</Button>}
    </Group>
  );
}

const severity: Record<FactStatus, number> = { act: 0, watch: 1, ok: 2, info: 3 };
const worst = (items: { status?: FactStatus | undefined }[]): FactStatus =>
  items.map((i) => i.status ?? 'info').sort((a, b) => severity[a] - severity[b])[0] ?? 'info';

/** A section of the day with its own heading (the team, the accounts at risk, the figures). */
function DaySection({ id, title, hint, count, icon, children }: { id: string; title: string; hint?: string; count?: number; icon: ReactNode; children: ReactNode }) {
  return (
    <Card component="section" aria-labelledby={`day-${id}`} data-testid={`day-section-${id}`}>
      <Group gap="xs" mb={hint ? 0 : 'xs'} wrap="nowrap">
        <ThemeIcon variant="light" size={28} radius="md" aria-hidden="true">{icon}</ThemeIcon>
        <Title order={2} size="h4" id={`day-${id}`}>{title}</Title>
        {count !== undefined && count > 0 && <Badge size="sm" variant="light" color="gray">{count}</Badge>}
      </Group>
      {hint && <Text size="xs" c="dimmed" mb="xs" ml={36}>{hint}</Text>}
      {children}
    </Card>
  );
}

/** A small figure: label, value, note; coloured by its status; a link when it has one. */
function FigureCell({ figure }: { figure: AgendaFigure }) {
  const { t } = useTranslation();
  const text = useContributionText();
  const note = figure.value.kind === 'unknown' ? t(figure.value.reasonKey) : figure.noteKey ? text(figure.noteKey, figure.noteParams) : null;
  const body = (
    <div className="ok-fact" data-status={figure.status} data-testid={`figure-${figure.id}`}
      style={{ borderInlineStart: `3px solid var(--mantine-color-${statusColor[figure.status]}-${figure.status === 'info' ? 3 : 6})`, paddingInlineStart: 8, height: '100%' }}>
      <Text size="xs" c="dimmed" fw={600} lineClamp={2}>{t(figure.labelKey)}</Text>
      <Text component="div" fw={700} className="ok-stat"><FactValueText value={figure.value} /></Text>
      {note && <Text size="xs" c={figure.status === 'act' ? 'red.8' : 'dimmed'} lineClamp={2}>{note}</Text>}
      <span className="visually-hidden">{t(`facts.status.${figure.status}`)}</span>
    </div>
  );
  return figure.link?.to ? <UnstyledButton component={Link} to={figure.link.to} h="100%">{body}</UnstyledButton> : body;
}

/** The business's figures, one block per module, each figure a card linking to where it is worked on. */
function FiguresSection({ items }: { items: AgendaItem[] }) {
  const { t } = useTranslation();
  const text = useContributionText();
  return (
    <DaySection id="figures" title={t('agenda.figuresTitle')} icon={<IconChartBar size={16} />}>
      {items.length === 0 ? <Text size="sm" c="dimmed">{t('agenda.figuresEmpty')}</Text> : (
        <Stack gap="md">
          {items.map((item) => (
            <div key={item.id} data-testid="agenda-figures" data-id={item.id}>
              <Anchor component={Link} to={item.link.to ?? '/'} fw={600} size="sm" display="block" mb={6}>{text(item.titleKey, item.params)}</Anchor>
              <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.min(5, item.figures?.length ?? 1) }} spacing="xs">
                {(item.figures ?? []).map((fig) => <FactCard key={fig.id} fact={fig} lines={2} />)}
              </SimpleGrid>
            </div>
          ))}
        </Stack>
      )}
    </DaySection>
  );
}

const StatusDot = ({ status }: { status: FactStatus }) => (
  <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 4, flexShrink: 0, display: 'inline-block', background: `var(--mantine-color-${statusColor[status]}-6)` }} />
);

/** One figure in a table cell: the value coloured by its status, the note under it. */
function FigureTableCell({ figure }: { figure: AgendaFigure | undefined }) {
  const { t } = useTranslation();
  const text = useContributionText();
  if (!figure) return <Table.Td />;
  const note = figure.value.kind === 'unknown' ? t(figure.value.reasonKey) : figure.noteKey ? text(figure.noteKey, figure.noteParams) : null;
  return (
    <Table.Td data-testid={`figure-${figure.id}`} data-status={figure.status} style={{ verticalAlign: 'top' }}>
      <Text fw={700} size="sm" className="ok-stat" c={figure.status === 'act' ? 'red.8' : figure.status === 'watch' ? 'orange.9' : undefined}>
        <FactValueText value={figure.value} />
      </Text>
      {note && <Text size="xs" c="dimmed" lineClamp={2} maw={190}>{note}</Text>}
      <span className="visually-hidden">{t(`facts.status.${figure.status}`)}</span>
    </Table.Td>
  );
}

/**
 * The director's team, person by person, worst first, with the figures their module gives: a table
 * on a wide screen (one column per figure), a block per person on a phone.
 */
function TeamSection({ items }: { items: AgendaItem[] }) {
  const { t } = useTranslation();
  const text = useContributionText();
  const wide = useMediaQuery('(min-width: 62em)');
  const sorted = [...items].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  // The columns: every figure any person has, in the order they come.
  const columns = [...new Map(sorted.flatMap((i) => i.figures ?? []).map((f) => [f.id, f.labelKey])).entries()];
  const name = (item: AgendaItem) => (
    <Group gap={8} wrap="nowrap">
      <StatusDot status={item.status ?? 'info'} />
      <Anchor component={Link} to={item.link.to ?? '/'} fw={600} size="sm" truncate>{text(item.titleKey, item.params)}</Anchor>
      <span className="visually-hidden">{t(`facts.status.${item.status ?? 'info'}`)}</span>
    </Group>
  );
  let body: ReactNode;
  if (sorted.length === 0) body = <Text size="sm" c="dimmed">{t('agenda.teamEmpty')}</Text>;
  else if (wide) {
    body = (
      <Table verticalSpacing={6} horizontalSpacing="sm" data-testid="agenda-team-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {columns.map(([id, labelKey]) => <Table.Th key={id}><Text size="xs" c="dimmed" fw={600}>{t(labelKey)}</Text></Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((item) => (
            <Table.Tr key={item.id} data-testid="agenda-person" data-status={item.status}>
              <Table.Td style={{ verticalAlign: 'top' }} maw={180}>{name(item)}</Table.Td>
              {columns.map(([id]) => <FigureTableCell key={id} figure={item.figures?.find((f) => f.id === id)} />)}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  } else {
    body = (
      <Stack gap={0}>
        {sorted.map((item) => (
          <div key={item.id} data-testid="agenda-person" data-status={item.status} style={{ borderTop: '1px solid var(--mantine-color-gray-2)', padding: '10px 0' }}>
            <Group gap={8} mb={6} wrap="nowrap" justify="space-between">
              {name(item)}
              <Text size="xs" c={item.status === 'act' ? 'red.8' : 'dimmed'} style={{ flexShrink: 0 }}>{t(`facts.status.${item.status ?? 'info'}`)}</Text>
            </Group>
            <SimpleGrid cols={3} spacing="xs" verticalSpacing="xs">
              {(item.figures ?? []).map((fig) => <FigureCell key={fig.id} figure={fig} />)}
            </SimpleGrid>
          </div>
        ))}
      </Stack>
    );
  }
  return (
    <DaySection id="team" title={t('agenda.teamTitle')} hint={t('agenda.teamHint')} count={items.length} icon={<IconUsersGroup size={16} />}>
      {body}
    </DaySection>
  );
}

/** How many accounts at risk show before "show all": the worst first, so these are the ones to look at. */
const FIRST_ACCOUNTS = 8;

/** Key accounts at risk: one row per account, with every module's reason linking to where it is handled. */
function AccountsSection({ items }: { items: AgendaItem[] }) {
  const { t } = useTranslation();
  const n = useNames();
  const text = useContributionText();
  const byAccount = new Map<string, AgendaItem[]>();
  for (const i of items) if (i.account) byAccount.set(i.account.id, [...(byAccount.get(i.account.id) ?? []), i]);
  const rows = [...byAccount.values()].map((reasons) => ({ account: reasons[0]!.account!, reasons: [...reasons].sort((a, b) => severity[a.status ?? 'info'] - severity[b.status ?? 'info']), status: worst(reasons) }))
    .sort((a, b) => severity[a.status] - severity[b.status] || b.reasons.length - a.reasons.length || a.account.code.localeCompare(b.account.code));
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST_ACCOUNTS);
  return (
    <DaySection id="accounts" title={t('agenda.accountsTitle')} hint={t('agenda.accountsHint')} count={rows.length} icon={<IconAlertTriangle size={16} />}>
      {rows.length === 0 ? <Text size="sm" c="dimmed">{t('agenda.accountsEmpty')}</Text> : (
        <Stack gap={0}>
          {shown.map(({ account, reasons, status }) => {
            const tier = reasons.map((r) => r.params.tier).find((x) => x === 'A' || x === 'B' || x === 'C') as 'A' | 'B' | 'C' | undefined;
            return (
              <Group key={account.id} wrap="nowrap" align="flex-start" gap="sm" py={8} data-testid="agenda-account" data-status={status} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                <ThemeIcon variant="light" color={statusColor[status]} size={30} radius="md" aria-hidden="true"><IconAlertTriangle size={16} /></ThemeIcon>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={6} wrap="nowrap">
                    {tier && <span style={{ display: 'inline-flex', flexShrink: 0 }}><TierBadge tier={tier} size="xs" /></span>}
                    <Anchor component={Link} to={`/accounts/${account.id}`} fw={600} size="sm" truncate><span className="ok-code">{account.code}</span> · {n.primary(account)}</Anchor>
                  </Group>
                  <Stack gap={2} mt={4}>
                    {reasons.map((r) => (
                      <Group key={r.id} gap={6} wrap="nowrap" align="flex-start" data-testid="agenda-reason" data-module={r.module}>
                        <Text span size="xs" c={`${statusColor[r.status ?? 'info']}.8`} fw={700} style={{ flexShrink: 0 }} aria-label={t(`facts.status.${r.status ?? 'info'}`)}>●</Text>
                        <Anchor component={Link} to={r.link.to ?? `/accounts/${account.id}`} size="sm" c="dark.6">{text(r.titleKey, r.params)}</Anchor>
                      </Group>
                    ))}
                  </Stack>
                </div>
              </Group>
            );
          })}
          {rows.length > FIRST_ACCOUNTS && (
            <Group justify="center" pt="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
              <Button variant="subtle" size="compact-sm" onClick={() => setAll((x) => !x)} aria-expanded={all}>
                {all ? t('agenda.accountsFewer') : t('agenda.accountsAll', { count: rows.length })}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </DaySection>
  );
}

/**
 * My day: every module's items for today, most urgent first, each with a link to where it is done;
 * and the sections the caller's role has: the business's figures (executive), the team's visits and
 * the key accounts at risk (director), each shown with an empty state when nothing falls in it.
 */
export function MyDay() {
  const { t } = useTranslation();
  const f = useFormat();
  const day = useQuery({ queryKey: ['my-day'], queryFn: () => api<Agenda>('/home/day') });
  const has = (s: AgendaSection) => !!day.data?.sections?.includes(s);
  const of = (s: AgendaSection) => day.data?.items.filter((i) => i.section === s) ?? [];
  const todo = day.data?.items.filter((i) => !i.section) ?? [];
  return (
    <Stack gap="lg">
      {has('figures') && <FiguresSection items={of('figures')} />}
      <Card data-testid="my-day">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">{t('agenda.title')}</Title>
          {day.data && <Text size="sm" c="dimmed">{f.date(day.data.date)}</Text>}
        </Group>
        {day.isPending && <Loading />}
        {day.isError && <ErrorState error={day.error} onRetry={() => void day.refetch()} />}
        {day.data && todo.length === 0 && (day.data.sections.length
          ? <Text size="sm" c="dimmed" data-testid="agenda-empty">{t('agenda.empty')}</Text>
          : <Empty title={t('agenda.empty')}>{t('agenda.emptyBody')}</Empty>)}
        {day.data && day.data.unavailable.length > 0 && <Text size="sm" c="orange.8">{t('timeline.unavailable', { modules: day.data.unavailable.join(', ') })}</Text>}
        {day.data && (
          <Stack gap="md">
            {sections.map((s) => {
              const items = todo.filter((i) => i.urgency === s);
              if (!items.length) return null;
              return (
                <section key={s} aria-labelledby={`agenda-${s}`}>
                  <Group gap={6}>
                    <Text id={`agenda-${s}`} size="xs" tt="uppercase" fw={700} c={s === 'now' ? 'red.8' : 'dimmed'}>{t(`agenda.sections.${s}`)}</Text>
                    <Badge size="xs" variant="light" color={s === 'now' ? 'red' : 'gray'}>{items.length}</Badge>
                  </Group>
                  <Stack gap={0}>{items.map((i) => <AgendaRow key={i.id} item={i} />)}</Stack>
                </section>
              );
            })}
          </Stack>
        )}
      </Card>
      {has('team') && <TeamSection items={of('team')} />}
      {has('accounts') && <AccountsSection items={of('accounts')} />}
    </Stack>
  );
}
