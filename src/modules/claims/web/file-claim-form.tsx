/** Filing a claim: its kind, what happened, the amount, and the delivered shipments it is about (the account's, or in the portal the dealer's own). */
import { Alert, Button, Checkbox, Group, Modal, ScrollArea, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { parseAmountToMinor } from '../../../shared/money.js';
import { useFormat } from '../../../web/format.js';
import { Empty, Loading } from '../../../web/ui/states.js';
import { type Claim, useFileClaim, useShipments } from './claims-api.js';
import { useClaimError } from './claims-ui.js';

export function FileClaimModal({ opened, onClose, accountId, currency = 'CNY', portal }: { opened: boolean; onClose: () => void; accountId: string | null; currency?: string; portal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const errorText = useClaimError();
  const shipments = useShipments(accountId, portal);
  const file = useFileClaim(portal);
  const [kind, setKind] = useState<Claim['kind']>('late');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [shown, setShown] = useState<Record<string, string>>({});
  const delivered = (shipments.data?.items ?? []).filter((s) => s.deliveredDate);

  const submit = () => {
    const errors: Record<string, string> = {};
    const minor = parseAmountToMinor(amount.trim(), currency);
    if (!title.trim()) errors.title = t('claims.errors.title');
    if (minor === null || minor <= 0) errors.amount = t('claims.errors.claimedMinor');
    if (!picked.length) errors.shipments = t('claims.errors.shipmentIds');
    setShown(errors);
    if (Object.keys(errors).length) return;
    file.mutate({ accountId: accountId ?? undefined, body: { kind, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), claimedMinor: minor!, currency, shipmentIds: picked } }, {
      onSuccess: (c) => { onClose(); void navigate(portal ? `/portal/claims/${c.id}` : `/claims/${c.id}`); },
    });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('claims.form.title')} size="lg" fullScreen={typeof window !== 'undefined' && window.innerWidth < 576}>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500} mb={4}>{t('claims.form.kind')}</Text>
          <SegmentedControl fullWidth value={kind} onChange={(v) => setKind(v as Claim['kind'])} data={(['late', 'damage', 'shortage'] as const).map((k) => ({ value: k, label: t(`claims.kind.${k}`) }))} />
        </div>
        <TextInput label={t('claims.form.what')} placeholder={t('claims.form.whatHint')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={shown.title} required maxLength={200} />
        <Textarea label={t('claims.form.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={4000} />
        <TextInput label={t('claims.form.amount', { currency })} inputMode="decimal" placeholder="1200.00" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={shown.amount} required />
        <div>
          <Text size="sm" fw={500}>{t('claims.form.shipments')}</Text>
          <Text size="xs" c="dimmed" mb={4}>{t('claims.form.shipmentsHint')}</Text>
          {shown.shipments && <Text size="xs" c="red" mb={4}>{shown.shipments}</Text>}
          {shipments.isLoading ? <Loading /> : !delivered.length ? <Empty title={t('claims.form.noShipments')} /> : (
            <ScrollArea.Autosize mah={260} type="auto">
              <Checkbox.Group value={picked} onChange={setPicked}>
                <Stack gap={6}>
                  {delivered.map((s) => (
                    <Checkbox key={s.id} value={s.id} data-testid="claim-shipment" label={
                      <span>
                        <b>{s.orderNo}{s.lineNo ? `/${s.lineNo}` : ''}</b> {s.item ?? ''} · {t('claims.form.deliveredOn', { date: f.monthDay(s.deliveredDate!) })}
                        {s.daysLate !== null && s.daysLate > 0 ? ` · ${t('claims.form.daysLate', { count: s.daysLate })}` : ''}
                      </span>
                    } />
                  ))}
                </Stack>
              </Checkbox.Group>
            </ScrollArea.Autosize>
          )}
        </div>
        {file.error && <Alert color="red">{errorText(file.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('claims.form.cancel')}</Button>
          <Button onClick={submit} loading={file.isPending} data-testid="claim-submit">{t('claims.form.submit')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
