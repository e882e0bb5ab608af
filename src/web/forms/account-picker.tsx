import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toQuery } from '../api/client.js';
import { useAccount } from '../api/queries.js';
import type { Account, Page } from '../api/types.js';
import { useNames } from '../names.js';

/** Picks an account by searching its code or names on the server (instead of typing a raw id). */
export function AccountPicker({ value, onChange, exclude, ...props }: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null; onChange: (id: string | null) => void; exclude?: string;
}) {
  const { t } = useTranslation();
  const n = useNames();
  const [search, setSearch] = useState('');
  const selected = useAccount(value ?? undefined);
  const labelOf = (a: Account) => `${a.code} · ${n.primary(a)}`;
  const selectedLabel = selected.data ? labelOf(selected.data) : null;
  // The search box shows the chosen account's label; that is not a search.
  const [q] = useDebouncedValue(search === selectedLabel ? '' : search.trim(), 250);
  const found = useQuery({ queryKey: ['account-picker', q], queryFn: () => api<Page<Account>>(`/accounts${toQuery({ q, limit: 20, sort: 'code' })}`), staleTime: 30_000 });
  const data = useMemo(() => {
    const rows = [...(selected.data ? [selected.data] : []), ...(found.data?.items ?? [])].filter((a) => a.id !== exclude);
    const seen = new Set<string>();
    return rows.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true))).map((a) => ({ value: a.id, label: labelOf(a) }));
  }, [selected.data, found.data, exclude, n]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Select {...props} searchable clearable value={value} onChange={(v) => onChange(v)} data={data} searchValue={search} onSearchChange={setSearch}
      filter={({ options }) => options} nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.noMatches')} placeholder={props.placeholder ?? t('forms.searchAccount')} />
  );
}
