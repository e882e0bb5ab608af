import { Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, apiWithEtag } from '../api/client.js';
import { useStaff, useTeams, useTerritories } from '../api/queries.js';
import type { Account } from '../api/types.js';
import { provinces } from '../provinces.js';
import { useSession } from '../session.js';
import { AccountPicker } from './account-picker.js';
import { FormActions, FormModal, FormProblem, orNull, useFormProblem, WithEditable } from './kit.js';
import { useRules } from './rules.js';

const kinds = ['dealer', 'distributor', 'retail_chain'] as const;
const statuses = ['prospect', 'active', 'dormant', 'closed'] as const;
const tiers = ['A', 'B', 'C'] as const;

type Values = {
  code: string; name: string; nameEn: string; kind: string; parentId: string | null; ownerId: string | null;
  territoryId: string | null; province: string | null; city: string; tier: string | null; status: string;
};

const valuesOf = (a: Account | null, meId: string | null): Values => ({
  code: a?.code ?? '', name: a?.name ?? '', nameEn: a?.nameEn ?? '', kind: a?.kind ?? 'dealer', parentId: a?.parentId ?? null,
  ownerId: a ? a.ownerId : meId, territoryId: a?.territoryId ?? null, province: a?.province ?? null, city: a?.city ?? '',
  tier: a?.tier ?? null, status: a?.status ?? 'active',
});

/** Who may own an account the signed-in user creates or edits (as the server checks it). */
function useOwnerOptions(current: Account | null) {
  const { me } = useSession();
  const staff = useStaff();
  const teams = useTeams();
  return useMemo(() => {
    const eligible = (staff.data?.items ?? []).filter((u) => u.active && ['manager', 'director', 'admin'].includes(u.role));
    const directed = new Set((teams.data?.items ?? []).filter((x) => x.directorId === me?.id).map((x) => x.id));
    const allowed = me?.role === 'admin' ? eligible
      : me?.role === 'director' ? eligible.filter((u) => u.id === me.id || (u.teamId !== null && directed.has(u.teamId)))
      : eligible.filter((u) => u.id === me?.id);
    const options = allowed.map((u) => ({ value: u.id, label: u.name }));
    if (me && !options.some((o) => o.value === me.id)) options.unshift({ value: me.id, label: me.name });
    if (current?.ownerId && !options.some((o) => o.value === current.ownerId)) options.push({ value: current.ownerId, label: current.ownerName ?? '—' });
    return options;
  }, [staff.data, teams.data, me, current]);
}

function AccountForm({ account, etag, reload, onDone }: { account: Account | null; etag: string | null; reload: () => Promise<{ data: Account; etag: string | null } | undefined>; onDone: (a: Account | null) => void }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const r = useRules();
  const qc = useQueryClient();
  const territories = useTerritories();
  const owners = useOwnerOptions(account);
  const { problem, onError, clear } = useFormProblem();
  const [ifMatch, setIfMatch] = useState(etag);
  const [reloading, setReloading] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(account, me?.id ?? null),
    validate: {
      code: account ? undefined : r.code,
      name: r.required(200),
      nameEn: r.optional(200),
      kind: r.chosen,
      province: (v) => (v && v.length > 50 ? r.t('errors.field.maxLength', { max: 50 }) : null),
      city: r.optional(80),
      status: r.chosen,
    },
  });
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const common = {
        name: v.name.trim(), nameEn: orNull(v.nameEn), kind: v.kind, parentId: v.parentId, ownerId: v.ownerId, territoryId: v.territoryId,
        province: v.province, city: orNull(v.city), tier: v.tier, status: v.status,
      };
      if (!account) return api<Account>('/accounts', { method: 'POST', body: { code: v.code.trim(), ...common } });
      const { data, etag: next } = await apiWithEtag<Account>(`/accounts/${account.id}`, { method: 'PATCH', headers: { 'if-match': ifMatch ?? '' }, body: common });
      setIfMatch(next);
      return data;
    },
    onSuccess: (a) => {
      qc.setQueryData(['account', a.id], a);
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['account-audit'] });
      void qc.invalidateQueries({ queryKey: ['home'] });
      notifications.show({ color: 'teal', message: t('forms.saved') });
      onDone(a);
    },
    onError: (err) => onError(err, form),
  });
  const doReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) { setIfMatch(fresh.etag); form.setValues(valuesOf(fresh.data, me?.id ?? null)); form.resetDirty(); clear(); }
    } finally { setReloading(false); }
  };
  const canPickOwner = me?.role === 'admin' || me?.role === 'director';
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="account-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('accountForm.code')} description={account ? undefined : t('accountForm.codeHint')} required={!account} disabled={!!account} autoCapitalize="characters" {...form.getInputProps('code')} />
          <Select label={t('accountForm.kind')} required allowDeselect={false} data={kinds.map((k) => ({ value: k, label: t(`accountKinds.${k}`) }))} {...form.getInputProps('kind')} />
          <TextInput label={t('accountForm.name')} required {...form.getInputProps('name')} />
          <TextInput label={t('accountForm.nameEn')} {...form.getInputProps('nameEn')} />
          <Select label={t('accountForm.status')} required allowDeselect={false} data={statuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} {...form.getInputProps('status')} />
          <Select label={t('accountForm.tier')} clearable placeholder={t('accountForm.noTier')} data={tiers.map((x) => ({ value: x, label: t(`tiers.${x}`) }))} {...form.getInputProps('tier')} />
          <Select label={t('accountForm.owner')} description={canPickOwner ? undefined : t('accountForm.ownerSelf')} disabled={!canPickOwner} clearable={me?.role === 'admin'} searchable
            placeholder={t('account.noOwner')} data={owners} nothingFoundMessage={t('common.noMatches')} {...form.getInputProps('ownerId')} />
          <AccountPicker label={t('accountForm.parent')} exclude={account?.id} value={form.values.parentId} onChange={(v) => form.setFieldValue('parentId', v)} error={form.errors.parentId} />
          <Select label={t('accountForm.territory')} clearable data={(territories.data?.items ?? []).map((x) => ({ value: x.id, label: i18n.language === 'en' ? x.name : x.nameZh }))} {...form.getInputProps('territoryId')} />
          <Select label={t('accountForm.province')} clearable searchable nothingFoundMessage={t('common.noMatches')}
            data={provinces.map((p) => ({ value: p.zh, label: i18n.language === 'en' ? p.en : p.zh }))} {...form.getInputProps('province')} />
          <TextInput label={t('accountForm.city')} {...form.getInputProps('city')} />
        </SimpleGrid>
        <FormProblem problem={problem} onReload={() => void doReload()} reloading={reloading} />
        <FormActions onCancel={() => onDone(null)} loading={save.isPending} submitLabel={account ? t('common.save') : t('accountForm.create')} />
      </Stack>
    </form>
  );
}

/** New account (no `account`) or edit one, in a dialog (full screen on a phone). */
export function AccountFormModal({ opened, onClose, account }: { opened: boolean; onClose: () => void; account?: Account }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <FormModal opened={opened} onClose={onClose} title={account ? t('accountForm.editTitle') : t('accountForm.newTitle')} size="xl">
      <WithEditable<Account> path={account ? `/accounts/${account.id}` : null}>
        {(rec, reload) => (
          <AccountForm account={rec?.data ?? null} etag={rec?.etag ?? null} reload={reload}
            onDone={(a) => { onClose(); if (!account && a) navigate(`/accounts/${a.id}`); }} />
        )}
      </WithEditable>
    </FormModal>
  );
}
