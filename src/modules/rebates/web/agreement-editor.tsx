/** Drafting an agreement: accounts, period, method and basis, the tier table, minimum and cap. */
import { Alert, Badge, Button, Card, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../../web/api/client.js';
import { useAccount } from '../../../web/api/queries.js';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { type CreateAgreement, useCreateAgreement } from './rebates-api.js';
import { type TierRow, TierTable } from './tier-table.js';

const METHODS = ['retroactive', 'incremental', 'growth', 'per-unit'] as const;
const year = new Date().getFullYear();

export function AgreementEditorPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const create = useCreateAgreement();
  const [name, setName] = useState('');
  const [accounts, setAccounts] = useState<{ id: string }[]>([]);
  const [picking, setPicking] = useState<string | null>(null);
  const [periodStart, setStart] = useState(`${year}-01-01`);
  const [periodEnd, setEnd] = useState(`${year + 1}-01-01`);
  const [method, setMethod] = useState<(typeof METHODS)[number]>('retroactive');
  const [tiers, setTiers] = useState<TierRow[]>([{ from: 0, ratePercent: 2 }, { from: 100_000_00, ratePercent: 3 }, { from: 200_000_00, ratePercent: 4 }]);
  const [minimum, setMinimum] = useState<number | ''>('');
  const [cap, setCap] = useState<number | ''>('');
  const [returnsCounted, setReturns] = useState(true);
  const [policy, setPolicy] = useState<'reached' | 'forecast'>('reached');
  const [expected, setExpected] = useState<number | ''>('');
  const [note, setNote] = useState('');
  const [dates, setDates] = useState('');
  const [refFrom, setRefFrom] = useState(`${year - 1}-01-01`);
  const [refTo, setRefTo] = useState(`${year}-01-01`);
  const quantity = method === 'per-unit';
  const scale = quantity ? 1 : 100;
  const submit = () => {
    const body: CreateAgreement = {
      name, accountIds: accounts.map((a) => a.id), currency: 'CNY', periodStart, periodEnd,
      settlementDates: dates.split(',').map((s) => s.trim()).filter(Boolean),
      expectedBasis: expected === '' ? null : Math.round(Number(expected) * scale), internalNote: note || null,
      terms: {
        method, basisKind: quantity ? 'quantity' : 'value', tiers,
        minimumBasis: minimum === '' ? null : Math.round(Number(minimum) * scale), capMinor: cap === '' ? null : Math.round(Number(cap) * 100),
        categories: null, skus: null, returnsCounted, accrualPolicy: policy, reference: method === 'growth' ? { from: refFrom, to: refTo } : null,
      },
    };
    create.mutate(body, { onSuccess: (a) => nav(`/rebates/${a.id}`) });
  };
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : [];
  return (
    <Stack maw={900}>
      <PageHeader title={t('rebates.new')} />
      <Card withBorder>
        <Stack>
          <TextInput label={t('rebates.field.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <AccountPicker data-testid="rebate-accounts" label={t('rebates.field.accounts')} value={picking} onChange={(id) => { if (id && !accounts.some((a) => a.id === id)) setAccounts([...accounts, { id }]); setPicking(null); }} />
          <Group gap="xs">{accounts.map((a) => <Badge key={a.id} variant="light" rightSection={<span role="button" aria-label="remove" onClick={() => setAccounts(accounts.filter((x) => x.id !== a.id))}>×</span>}><AccountLabel id={a.id} /></Badge>)}</Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('rebates.field.periodStart')} value={periodStart} onChange={(e) => setStart(e.currentTarget.value)} placeholder="YYYY-MM-DD" />
            <TextInput label={t('rebates.field.periodEnd')} value={periodEnd} onChange={(e) => setEnd(e.currentTarget.value)} placeholder="YYYY-MM-DD" />
            <Select label={t('rebates.field.method')} allowDeselect={false} value={method} onChange={(v) => setMethod((v ?? 'retroactive') as typeof method)} data={METHODS.map((m) => ({ value: m, label: t(`rebates.method.${m}`) }))} />
            <Select label={t('rebates.field.policy')} allowDeselect={false} value={policy} onChange={(v) => setPolicy((v ?? 'reached') as typeof policy)} data={(['reached', 'forecast'] as const).map((p) => ({ value: p, label: t(`rebates.policy.${p}`) }))} />
            {method === 'growth' && <TextInput label={t('rebates.field.referenceFrom')} value={refFrom} onChange={(e) => setRefFrom(e.currentTarget.value)} />}
            {method === 'growth' && <TextInput label={t('rebates.field.referenceTo')} value={refTo} onChange={(e) => setRefTo(e.currentTarget.value)} />}
          </SimpleGrid>
          <TierTable tiers={tiers} onChange={setTiers} quantity={quantity} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput label={t('rebates.field.minimum')} min={0} thousandSeparator="," value={minimum} onChange={(v) => setMinimum(v === '' ? '' : Number(v))} />
            <NumberInput label={t('rebates.field.cap')} min={0} thousandSeparator="," value={cap} onChange={(v) => setCap(v === '' ? '' : Number(v))} />
            <NumberInput label={t('rebates.field.expected')} min={0} thousandSeparator="," value={expected} onChange={(v) => setExpected(v === '' ? '' : Number(v))} />
          </SimpleGrid>
          <Checkbox label={t('rebates.field.returns')} checked={returnsCounted} onChange={(e) => setReturns(e.currentTarget.checked)} />
          <TextInput label={t('rebates.field.settlementDates')} value={dates} onChange={(e) => setDates(e.currentTarget.value)} placeholder={`${year}-04-01, ${year}-07-01`} />
          <Textarea label={t('rebates.field.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {create.error && <Alert color="red">{(create.error as Error).message}{errors.map((e) => <div key={e.path}>{e.path}: {e.message}</div>)}</Alert>}
          <Group><Button onClick={submit} loading={create.isPending} disabled={!name || !accounts.length}>{t('rebates.save')}</Button></Group>
        </Stack>
      </Card>
    </Stack>
  );
}

function AccountLabel({ id }: { id: string }) {
  const a = useAccount(id);
  return <>{a.data ? `${a.data.code} ${a.data.name}` : '…'}</>;
}
