/** One price list: what it is (scope, validity, priority, mode), its products with their breaks; edit, import, delete. */
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconArrowLeft, IconPencil, IconPlus, IconSearch, IconTrash, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ConfirmDelete, FormModal, RowActions } from '../../../web/forms/kit.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type PriceListItem, useItems, useList, usePricingMutations } from './pricing-api.js';
import { ImportForm, ItemForm, ListForm } from './pricing-forms.js';
import { canWritePrices } from './pricing-roles.js';
import { BreaksTable, companyToday, ScopeBadge, ValidityText } from './pricing-ui.js';
import { AMBER_TEXT } from '../../../web/theme.js';

type Dialog = { kind: 'edit' } | { kind: 'item'; item: PriceListItem | null } | { kind: 'import' } | { kind: 'delete' } | { kind: 'deleteItem'; item: PriceListItem } | null;

export function PriceListPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { me } = useSession();
  const f = useFormat();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const list = useList(id);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const items = useItems(id, q);
  const [dialog, setDialog] = useState<Dialog>(null);
  const { remove, deleteItem } = usePricingMutations();
  const writer = canWritePrices(me?.role);
  const back = <Anchor component={Link} to="/prices" size="sm"><Group gap={4}><IconArrowLeft size={14} />{t('pricing.back')}</Group></Anchor>;
  if (list.isError) return <>{back}<ErrorState error={list.error} onRetry={() => void list.refetch()} /></>;
  if (list.isPending) return <Loading />;
  const l = list.data;
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];
  const close = () => setDialog(null);
  return (
    <>
      {back}
      <PageHeader title={l.name} subtitle={`${l.code} · ${l.currency}`} badge={<ScopeBadge list={l} />}
        actions={writer ? (
          <Group gap="xs" wrap="wrap">
            <Button variant="default" size="sm" leftSection={<IconPencil size={16} />} onClick={() => setDialog({ kind: 'edit' })} data-testid="edit-list">{t('pricing.edit')}</Button>
            <Button variant="default" size="sm" leftSection={<IconUpload size={16} />} onClick={() => setDialog({ kind: 'import' })} data-testid="import-prices">{t('pricing.import.button')}</Button>
            <Button variant="subtle" color="red" size="sm" leftSection={<IconTrash size={16} />} onClick={() => setDialog({ kind: 'delete' })}>{t('pricing.delete')}</Button>
          </Group>
        ) : undefined} />
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" mb="md">
        <Card padding="sm"><Text size="xs" c="dimmed" fw={600}>{t('pricing.columns.validity')}</Text><ValidityText list={l} /></Card>
        <Card padding="sm"><Text size="xs" c="dimmed" fw={600}>{t('pricing.columns.priority')}</Text><Text size="sm">{l.priority}</Text></Card>
        <Card padding="sm"><Text size="xs" c="dimmed" fw={600}>{t('pricing.columns.mode')}</Text><Text size="sm">{t(`pricing.mode.${l.breakMode}`)}</Text></Card>
        <Card padding="sm"><Text size="xs" c="dimmed" fw={600}>{t('pricing.columns.products')}</Text><Text size="sm">{f.number(l.itemCount)}</Text></Card>
      </SimpleGrid>
      {l.note && <Text size="sm" c="dimmed" mb="sm">{l.note}</Text>}
      <Group justify="space-between" mb="sm" gap="sm">
        <TextInput placeholder={t('pricing.item.search')} aria-label={t('pricing.item.search')} leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={phone ? '100%' : 280} />
        {writer && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'item', item: null })} data-testid="add-item" fullWidth={phone}>{t('pricing.item.add')}</Button>}
      </Group>
      {items.isError ? <ErrorState error={items.error} onRetry={() => void items.refetch()} /> : items.isPending ? <Loading /> : rows.length === 0 ? (
        <Card><Empty title={t('pricing.item.empty')}>{t(writer ? 'pricing.item.emptyWriter' : 'pricing.item.emptyHint')}</Empty></Card>
      ) : (
        <Stack gap="xs" data-testid="price-items">
          {rows.map((it) => (
            <Card key={it.productId} padding="sm" withBorder data-testid="price-item">
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">{it.sku}</Text>
                  <Text size="xs" c="dimmed">{f.locale.startsWith('en') ? it.productNameEn : it.productName} · {t('pricing.item.per', { unit: it.unit })}</Text>
                </div>
                <Group gap={4} wrap="nowrap">
                  {it.minQuantity > 0 && <Badge variant="light" color="orange" tt="none" styles={{ label: { color: AMBER_TEXT } }}>{t('pricing.item.minimum', { n: f.number(it.minQuantity) })}</Badge>}
                  {writer && <RowActions name={it.sku} onEdit={() => setDialog({ kind: 'item', item: it })} onDelete={() => setDialog({ kind: 'deleteItem', item: it })} />}
                </Group>
              </Group>
              <BreaksTable breaks={it.breaks} currency={l.currency} compact />
            </Card>
          ))}
        </Stack>
      )}
      {items.hasNextPage && <Group justify="center" mt="sm"><Button variant="default" loading={items.isFetchingNextPage} onClick={() => void items.fetchNextPage()}>{t('pricing.more')}</Button></Group>}

      <FormModal opened={dialog?.kind === 'edit'} onClose={close} title={t('pricing.form.editTitle')}>
        <ListForm list={l} today={companyToday()} onDone={close} />
      </FormModal>
      <FormModal opened={dialog?.kind === 'item'} onClose={close} title={t(dialog?.kind === 'item' && dialog.item ? 'pricing.item.editTitle' : 'pricing.item.addTitle')} size="md" testId="item-modal">
        {dialog?.kind === 'item' && <ItemForm list={l} item={dialog.item} onDone={close} />}
      </FormModal>
      <FormModal opened={dialog?.kind === 'import'} onClose={close} title={t('pricing.import.title', { name: l.name })} testId="import-modal">
        <ImportForm list={l} onDone={close} />
      </FormModal>
      <ConfirmDelete opened={dialog?.kind === 'delete'} onClose={close} title={t('pricing.deleteTitle')} message={t('pricing.deleteMessage', { name: l.name, count: l.itemCount })}
        onConfirm={() => remove.mutateAsync({ id: l.id, version: l.version })} onDeleted={() => void navigate('/prices')} />
      <ConfirmDelete opened={dialog?.kind === 'deleteItem'} onClose={close} title={t('pricing.item.deleteTitle')}
        message={dialog?.kind === 'deleteItem' ? t('pricing.item.deleteMessage', { sku: dialog.item.sku, name: l.name }) : ''}
        onConfirm={() => (dialog?.kind === 'deleteItem' ? deleteItem.mutateAsync({ listId: l.id, productId: dialog.item.productId }) : Promise.resolve())} onDeleted={close} />
    </>
  );
}
