/** The account page's "Risk" tab: site exposure and insurance (editable), advisories under way, the value-protected ledger. */
import { Alert, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { AdvisoryCard } from './advisory-card.js';
import { fenToYuan, useAccountRisk, useSaveSiteRisk, yuanToFen, type SiteRisk } from './hazards-api.js';
import { InsuranceBadge, MoneyCell, Pager, useCanWrite, useDistance, useMoneyOrUnknown, usePaged } from './hazards-ui.js';

const SITES_PAGE = 10;
const ADVISORIES_PAGE = 6;

function Stat({ label, value, note, testId }: { label: string; value: string; note?: string | undefined; testId?: string }) {
  return (
    <Card padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text fw={700} size="lg" className="ok-stat" data-testid={testId}>{value}</Text>
      {note && <Text size="xs" c="dimmed">{note}</Text>}
    </Card>
  );
}

export function AccountRiskTab({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const dist = useDistance();
  const canWrite = useCanWrite();
  const money = useMoneyOrUnknown();
  const phone = useMediaQuery('(max-width: 48em)');
  const risk = useAccountRisk(accountId, i18n.language);
  const sites = usePaged(risk.data?.sites ?? [], SITES_PAGE, 'sitesPage');
  const advisories = usePaged(risk.data?.advisories ?? [], ADVISORIES_PAGE, 'advisoriesPage');
  const [editing, setEditing] = useState<SiteRisk | null>(null);
  if (risk.isPending) return <Loading />;
  if (risk.isError) return <ErrorState error={risk.error} onRetry={() => void risk.refetch()} />;
  const r = risk.data;
  const sum = (list: { amountMinor: number; currency: string }[]) => list.map((m) => f.money(m.amountMinor, m.currency)).join(' + ');
  // Nothing under a warning is a true zero; sites under a warning with no stock value recorded are unknown, never zero.
  const valueAtRisk = r.sitesAtRisk === 0 ? f.money(0, 'CNY') : r.valueAtRisk.length ? sum(r.valueAtRisk) : t('hazards.risk.valueUnknown');
  const valueNote = r.sitesAtRisk === 0 ? t('hazards.risk.noSiteAtRisk')
    : r.sitesWithoutValue > 0 ? t(r.valueAtRisk.length ? 'hazards.risk.someWithoutValue' : 'hazards.risk.allWithoutValue', { count: r.sitesWithoutValue, total: r.sitesAtRisk }) : undefined;
  const insurance = (s: SiteRisk) => (
    <>
      <InsuranceBadge insurance={s.insurance} detail />
      {s.insurance.status === 'insured' && <Text size="xs" c="dimmed">{[s.insurance.insurer, s.insurance.cover ? money(s.insurance.cover) : null, s.insurance.expiresOn ? t('hazards.risk.until', { date: f.date(`${s.insurance.expiresOn}T12:00:00Z`) }) : null].filter(Boolean).join(' · ')}</Text>}
    </>
  );
  const edit = (s: SiteRisk) => canWrite && <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setEditing(s)} aria-label={t('hazards.risk.editSite', { site: s.siteName })}>{t('common.edit')}</Button>;

  return (
    <Stack gap="lg" data-testid="account-risk">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Stat label={t('hazards.risk.valueAtRisk')} value={valueAtRisk} note={valueNote} testId="value-at-risk" />
        <Stat label={t('hazards.risk.openAdvisories')} value={f.number(r.openAdvisories)} />
        <Stat label={t('hazards.risk.valueProtected')} value={r.totals.length ? r.totals.map((x) => f.money(x.netProtectedMinor, x.currency)).join(' + ') : f.money(0, 'CNY')} testId="value-protected" />
      </SimpleGrid>

      <section aria-labelledby="risk-sites" id="risk-sites-list">
        <Title order={3} size="h5" mb="xs" id="risk-sites">{t('hazards.risk.sites', { count: r.sites.length })}</Title>
        {r.sites.length === 0 ? <Card><Empty title={t('hazards.risk.noSites')} /></Card> : phone ? (
          <Stack gap="xs">
            {sites.rows.map((s) => (
              <Card key={s.siteId} padding="sm" data-testid="risk-site">
                <Group justify="space-between" wrap="nowrap"><Text fw={600} size="sm">{s.siteName}</Text>{edit(s)}</Group>
                <Text size="xs" c="dimmed">{t('hazards.risk.coast')}: {dist(s.coastDistanceM)}{s.floodProne ? ` · ${t('hazards.risk.floodProne')}` : ''}{s.companySite ? ` · ${t('hazards.risk.companySite')}` : ''}</Text>
                <Text size="xs">{t('hazards.risk.inventory')}: <MoneyCell value={s.inventory} /></Text>
                <div>{insurance(s)}</div>
              </Card>
            ))}
          </Stack>
        ) : (
          <Card padding={0}>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" horizontalSpacing="md">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('hazards.risk.site')}</Table.Th>
                    <Table.Th>{t('hazards.risk.coast')}</Table.Th>
                    <Table.Th>{t('hazards.risk.flood')}</Table.Th>
                    <Table.Th ta="right">{t('hazards.risk.inventory')}</Table.Th>
                    <Table.Th>{t('hazards.risk.insuranceLabel')}</Table.Th>
                    {canWrite && <Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sites.rows.map((s) => (
                    <Table.Tr key={s.siteId} data-testid="risk-site">
                      <Table.Td><Text size="sm" fw={600}>{s.siteName}</Text>{s.companySite && <Badge size="xs" variant="outline">{t('hazards.risk.companySite')}</Badge>}</Table.Td>
                      <Table.Td><Text size="sm">{dist(s.coastDistanceM)}</Text></Table.Td>
                      <Table.Td>{s.floodProne ? <Badge size="sm" color="blue" variant="light">{t('hazards.risk.floodProne')}</Badge> : <Text size="sm" c="dimmed">{t('hazards.risk.no')}</Text>}</Table.Td>
                      <Table.Td ta="right" className="ok-stat"><MoneyCell value={s.inventory} /></Table.Td>
                      <Table.Td>{insurance(s)}</Table.Td>
                      {canWrite && <Table.Td>{edit(s)}</Table.Td>}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
        <Pager {...sites} anchor="risk-sites-list" testId="risk-sites-pager" />
      </section>

      <section aria-labelledby="risk-advisories" id="risk-advisories-list">
        <Title order={3} size="h5" mb="xs" id="risk-advisories">{t('hazards.risk.advisories', { count: r.advisories.length })}</Title>
        {r.advisories.length === 0 ? <Card><Text size="sm" c="dimmed">{t('hazards.risk.noAdvisories')}</Text></Card> : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">{advisories.rows.map((a) => <AdvisoryCard key={a.id} advisory={a} showAccount={false} showStatus />)}</SimpleGrid>
        )}
        <Pager {...advisories} anchor="risk-advisories-list" testId="risk-advisories-pager" />
      </section>

      <section aria-labelledby="risk-ledger">
        <Title order={3} size="h5" mb="xs" id="risk-ledger">{t('hazards.risk.ledger')}</Title>
        {r.ledger.length === 0 ? <Card><Text size="sm" c="dimmed">{t('hazards.risk.noLedger')}</Text></Card> : (
          <Card padding={0}>
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="ledger">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('hazards.risk.closed')}</Table.Th>
                    <Table.Th>{t('hazards.risk.site')}</Table.Th>
                    <Table.Th ta="right">{t('hazards.advisories.form.valueSaved')}</Table.Th>
                    <Table.Th ta="right">{t('hazards.advisories.form.losses')}</Table.Th>
                    <Table.Th ta="right">{t('hazards.advisories.form.movingCost')}</Table.Th>
                    <Table.Th ta="right">{t('hazards.risk.net')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.ledger.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{a.closedAt ? f.date(a.closedAt) : '—'}</Text></Table.Td>
                      <Table.Td><Text size="sm" fw={600}>{a.siteName}</Text>{a.headline && <Text size="xs" c="dimmed" lineClamp={1}>{a.headline}</Text>}{a.decision && <Text size="xs">{a.decision.actionTaken}</Text>}</Table.Td>
                      <Table.Td ta="right" className="ok-stat">{money(a.outcome!.valueSaved)}</Table.Td>
                      <Table.Td ta="right" className="ok-stat">{money(a.outcome!.losses)}</Table.Td>
                      <Table.Td ta="right" className="ok-stat">{money(a.outcome!.movingCost)}</Table.Td>
                      <Table.Td ta="right" className="ok-stat" fw={600}>{f.money(a.outcome!.valueSaved.amountMinor - a.outcome!.movingCost.amountMinor, a.outcome!.valueSaved.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  {r.totals.map((x) => (
                    <Table.Tr key={x.currency} data-testid="ledger-total">
                      <Table.Th colSpan={2}>{t('hazards.risk.total', { count: x.advisories })}</Table.Th>
                      <Table.Th ta="right" className="ok-stat">{f.money(x.valueSavedMinor, x.currency)}</Table.Th>
                      <Table.Th ta="right" className="ok-stat">{f.money(x.lossesMinor, x.currency)}</Table.Th>
                      <Table.Th ta="right" className="ok-stat">{f.money(x.movingCostMinor, x.currency)}</Table.Th>
                      <Table.Th ta="right" className="ok-stat">{f.money(x.netProtectedMinor, x.currency)}</Table.Th>
                    </Table.Tr>
                  ))}
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
      </section>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={<Text fw={700}>{editing?.siteName}</Text>} closeButtonProps={{ 'aria-label': t('hazards.common.close') }}>
        {editing && <SiteRiskForm site={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

function SiteRiskForm({ site, onDone }: { site: SiteRisk; onDone: () => void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const save = useSaveSiteRisk();
  const [floodProne, setFloodProne] = useState(site.floodProne);
  const [companySite, setCompanySite] = useState(site.companySite);
  const [inventory, setInventory] = useState(site.inventory ? fenToYuan(site.inventory.amountMinor) : '');
  const [status, setStatus] = useState<SiteRisk['insurance']['status']>(site.insurance.status);
  const [insurer, setInsurer] = useState(site.insurance.insurer ?? '');
  const [policyNumber, setPolicyNumber] = useState(site.insurance.policyNumber ?? '');
  const [cover, setCover] = useState(site.insurance.cover ? fenToYuan(site.insurance.cover.amountMinor) : '');
  const [expiresOn, setExpiresOn] = useState(site.insurance.expiresOn ?? '');
  const [refusedReason, setRefusedReason] = useState(site.insurance.refusedReason ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const inv = inventory.trim() ? yuanToFen(inventory) : null;
    const cov = cover.trim() ? yuanToFen(cover) : null;
    const errs: Record<string, string> = {};
    if (inventory.trim() && inv === null) errs.inventory = t('hazards.advisories.form.invalidMoney');
    if (cover.trim() && cov === null) errs.cover = t('hazards.advisories.form.invalidMoney');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const currency = site.inventory?.currency ?? 'CNY';
    setFailure(null);
    save.mutate({
      site,
      body: {
        floodProne, companySite,
        inventory: inv === null ? null : { amountMinor: inv, currency },
        insurance: {
          status,
          insurer: status === 'insured' ? insurer.trim() || null : null,
          policyNumber: status === 'insured' ? policyNumber.trim() || null : null,
          cover: status === 'insured' && cov !== null ? { amountMinor: cov, currency: site.insurance.cover?.currency ?? currency } : null,
          expiresOn: status === 'insured' && expiresOn ? expiresOn : null,
          refusedReason: status === 'refused' ? refusedReason.trim() || null : null,
        },
      },
    }, {
      onSuccess: () => { notifications.show({ color: 'teal', message: t('hazards.risk.saved') }); onDone(); },
      onError: (err) => setFailure(text(err)),
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Switch label={t('hazards.risk.floodProne')} checked={floodProne} onChange={(e) => setFloodProne(e.currentTarget.checked)} />
        <Switch label={t('hazards.risk.companySiteHint')} checked={companySite} onChange={(e) => setCompanySite(e.currentTarget.checked)} />
        <TextInput label={t('hazards.risk.inventoryYuan')} leftSection={<Text size="sm" c="dimmed">¥</Text>} inputMode="decimal" placeholder="0.00" value={inventory} onChange={(e) => setInventory(e.currentTarget.value)} error={errors.inventory} data-testid="risk-inventory" />
        <Select label={t('hazards.risk.insuranceLabel')} allowDeselect={false} value={status} onChange={(v) => v && setStatus(v as typeof status)}
          data={(['insured', 'refused', 'none', 'unknown'] as const).map((s) => ({ value: s, label: t(`hazards.risk.insurance.${s}`) }))} />
        {status === 'insured' && (
          <>
            <SimpleGrid cols={2}>
              <TextInput label={t('hazards.risk.insurer')} maxLength={120} value={insurer} onChange={(e) => setInsurer(e.currentTarget.value)} />
              <TextInput label={t('hazards.risk.policyNumber')} maxLength={80} value={policyNumber} onChange={(e) => setPolicyNumber(e.currentTarget.value)} />
            </SimpleGrid>
            <SimpleGrid cols={2}>
              <TextInput label={t('hazards.risk.coverYuan')} leftSection={<Text size="sm" c="dimmed">¥</Text>} inputMode="decimal" placeholder="0.00" value={cover} onChange={(e) => setCover(e.currentTarget.value)} error={errors.cover} />
              <TextInput type="date" label={t('hazards.risk.expiresOn')} value={expiresOn} onChange={(e) => setExpiresOn(e.currentTarget.value)} />
            </SimpleGrid>
          </>
        )}
        {status === 'refused' && <Textarea label={t('hazards.risk.refusedReason')} maxLength={500} autosize minRows={2} value={refusedReason} onChange={(e) => setRefusedReason(e.currentTarget.value)} />}
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="submit" loading={save.isPending} data-testid="risk-save">{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
