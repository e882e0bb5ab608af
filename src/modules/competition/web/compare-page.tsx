/**
 * The undercut comparison: a competitor's offer to an account, compared (nothing saved) and then
 * recorded with its comparison; and a recorded offer's page, where the manager records the decision
 * and, later, the outcome.
 */
import { Alert, Badge, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { parseAmountToMinor } from '../../../shared/money.js';
import { useAccount } from '../../../web/api/queries.js';
import { FormProblem, orNull, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { post, useCompetitionWrite, useOffer, useProducts, type CompareInput, type Comparison, type Offer } from './competition-api.js';
import { canWrite } from './competition-roles.js';
import { useProductName, useServiceName, useUnitLabel } from './competition-ui.js';
import { ComparisonView } from './comparison-view.js';
import { AMBER_TEXT } from '../../../web/theme.js';

type Values = { productId: string | null; competitor: string; price: string; horizon: number | string };

const yuan = (minor: string | null) => (minor && /^\d+$/.test(minor) ? (Number(minor) / 100).toFixed(2) : '');

export function ComparePage() {
  const { t } = useTranslation();
  const r = useRules();
  const n = useNames();
  const navigate = useNavigate();
  const { me } = useSession();
  const productName = useProductName();
  const unitLabel = useUnitLabel();
  const [params] = useSearchParams();
  const accountId = params.get('accountId') ?? '';
  const account = useAccount(accountId || undefined);
  const products = useProducts();
  const [shown, setShown] = useState<{ body: CompareInput; c: Comparison } | null>(null);
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { productId: params.get('productId'), competitor: params.get('competitor') ?? '', price: yuan(params.get('price')), horizon: 12 },
    validate: {
      productId: r.chosen,
      competitor: r.required(80),
      price: (v) => ((parseAmountToMinor(v, 'CNY') ?? 0) > 0 ? null : t('competition.record.priceInvalid')),
      horizon: r.intRange(1, 36),
    },
  });
  const run = useCompetitionWrite((body: CompareInput) => post<Comparison>('/competitor-offers/compare', body));
  const save = useCompetitionWrite((body: CompareInput) => post<Offer>('/competitor-offers', body));
  const submit = form.onSubmit((v) => {
    clear();
    const body: CompareInput = {
      accountId, productId: v.productId!, competitor: v.competitor.trim(), offerPriceMinor: parseAmountToMinor(v.price, 'CNY')!,
      currency: account.data?.currency ?? 'CNY', horizonMonths: Number(v.horizon),
    };
    run.mutate(body, { onSuccess: (c) => setShown({ body, c }), onError: (err) => { setShown(null); onError(err, form); } });
  });
  const product = products.data?.find((p) => p.id === form.values.productId);
  return (
    <Stack gap="md" data-testid="compare-page">
      <PageHeader title={t('competition.compare.title')} subtitle={account.data ? n.primary(account.data) : undefined} />
      <Card padding="md" maw={720}>
        <form onSubmit={submit} noValidate data-testid="compare-form">
          <Stack gap="sm">
            <Select label={t('competition.record.product')} required searchable allowDeselect={false} data={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${productName(p)}` }))} {...form.getInputProps('productId')} />
            <Group grow align="flex-start" gap="sm">
              <TextInput label={t('competition.record.competitor')} required maxLength={80} {...form.getInputProps('competitor')} />
              <TextInput label={t('competition.compare.offerPrice', { unit: unitLabel(product?.unit) })} required inputMode="decimal" {...form.getInputProps('price')} data-testid="compare-price" />
            </Group>
            <NumberInput label={t('competition.compare.horizon')} min={1} max={36} allowDecimal={false} {...form.getInputProps('horizon')} />
            <FormProblem problem={problem} />
            <Group justify="flex-end"><Button type="submit" leftSection={<IconScale size={16} />} loading={run.isPending} data-testid="compare-submit">{t('competition.compare.run')}</Button></Group>
          </Stack>
        </form>
      </Card>
      {shown && (
        <>
          <ComparisonView c={shown.c} />
          {canWrite(me?.role) && (
            <Group justify="flex-end">
              <Button loading={save.isPending} data-testid="record-offer" onClick={() => save.mutate(shown.body, { onSuccess: (o) => navigate(`/competition/offers/${o.id}`), onError: (err) => onError(err) })}>
                {t('competition.compare.recordOffer')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function DecisionForm({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const serviceName = useServiceName();
  const { problem, onError, clear } = useFormProblem();
  const [decision, setDecision] = useState<'match' | 'value' | 'decline'>(offer.recommendation === 'hold' ? 'decline' : offer.recommendation);
  const [alt, setAlt] = useState<string | null>(offer.comparison.cheapest);
  const [note, setNote] = useState('');
  const save = useCompetitionWrite(() => post<Offer>(`/competitor-offers/${offer.id}/decision`, { decision, alternativeId: decision === 'value' ? alt : null, note: orNull(note), version: offer.version }));
  return (
    <Card padding="md" data-testid="decision-form">
      <Stack gap="sm">
        <Title order={3} size="h5">{t('competition.offer.decide')}</Title>
        <SegmentedControl fullWidth value={decision} onChange={(v) => setDecision(v as typeof decision)} aria-label={t('competition.offer.decide')}
          data={(['match', 'value', 'decline'] as const).map((d) => ({ value: d, label: t(`competition.decision.${d}`) }))} data-testid="decision" />
        {decision === 'value' && (
          <Select label={t('competition.offer.alternative')} required allowDeselect={false} value={alt} onChange={setAlt}
            data={offer.comparison.alternatives.map((a) => ({ value: a.serviceKindId, label: serviceName(a) }))} />
        )}
        <Textarea label={t('competition.offer.note')} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
        <FormProblem problem={problem} />
        <Group justify="flex-end">
          <Button loading={save.isPending} data-testid="decision-submit" onClick={() => { clear(); save.mutate(undefined, { onError: (e) => onError(e) }); }}>{t('competition.offer.saveDecision')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function OutcomeForm({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const { problem, onError, clear } = useFormProblem();
  const [outcome, setOutcome] = useState<'kept' | 'lost' | 'partial'>('kept');
  const [note, setNote] = useState('');
  const save = useCompetitionWrite(() => post<Offer>(`/competitor-offers/${offer.id}/outcome`, { outcome, note: orNull(note), version: offer.version }));
  return (
    <Card padding="md" data-testid="outcome-form">
      <Stack gap="sm">
        <Title order={3} size="h5">{t('competition.offer.outcomeTitle')}</Title>
        <SegmentedControl fullWidth value={outcome} onChange={(v) => setOutcome(v as typeof outcome)} aria-label={t('competition.offer.outcomeTitle')}
          data={(['kept', 'partial', 'lost'] as const).map((d) => ({ value: d, label: t(`competition.outcome.${d}`) }))} />
        <Textarea label={t('competition.offer.note')} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
        <FormProblem problem={problem} />
        <Group justify="flex-end">
          <Button loading={save.isPending} data-testid="outcome-submit" onClick={() => { clear(); save.mutate(undefined, { onError: (e) => onError(e) }); }}>{t('competition.offer.saveOutcome')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function OfferPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const productName = useProductName();
  const serviceName = useServiceName();
  const { me } = useSession();
  const { id } = useParams();
  const q = useOffer(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const o = q.data;
  const alt = o.comparison.alternatives.find((a) => a.serviceKindId === o.alternativeId);
  const write = canWrite(me?.role);
  return (
    <Stack gap="md" data-testid="offer-page">
      <PageHeader title={t('competition.offer.title', { competitor: o.competitor })} subtitle={`${n.primary(o)} · ${o.productSku} ${productName(o)} · ${f.date(o.createdAt)}`} />
      {(o.decision || o.outcome) && (
        <Card padding="md" data-testid="offer-status">
          <Stack gap={6}>
            {o.decision && (
              <Group gap="xs">
                <Text size="sm" fw={600}>{t('competition.offer.decided')}</Text>
                <Badge variant="light">{t(`competition.decision.${o.decision}`)}{alt ? ` · ${serviceName(alt)}` : ''}</Badge>
                <Text size="xs" c="dimmed">{o.decidedBy?.name} · {o.decidedAt ? f.dateTime(o.decidedAt) : ''}</Text>
              </Group>
            )}
            {o.decisionNote && <Text size="sm">{o.decisionNote}</Text>}
            {o.outcome && (
              <Group gap="xs">
                <Text size="sm" fw={600}>{t('competition.offer.outcomeTitle')}</Text>
                <Badge variant="light" color={o.outcome === 'kept' ? 'teal' : o.outcome === 'lost' ? 'red' : 'orange'} data-testid="offer-outcome">{t(`competition.outcome.${o.outcome}`)}</Badge>
              </Group>
            )}
            {o.outcomeNote && <Text size="sm">{o.outcomeNote}</Text>}
          </Stack>
        </Card>
      )}
      {write && !o.decision && <DecisionForm offer={o} />}
      {write && o.decision && !o.outcome && <OutcomeForm offer={o} />}
      {o.decision && o.recommendation !== o.decision && o.recommendation !== 'hold' && (
        <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} />} p="xs"><Text size="sm" c={AMBER_TEXT}>{t('competition.offer.againstRecommendation')}</Text></Alert>
      )}
      <Text size="xs" c="dimmed">{t('competition.offer.snapshot', { at: f.dateTime(o.createdAt) })}</Text>
      <ComparisonView c={o.comparison} />
    </Stack>
  );
}
