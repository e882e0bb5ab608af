import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSession } from '../../../web/session.js';
import { useManagers } from './use-visits.js';

/**
 * The manager whose program a page shows, kept in the URL (?manager=…): a manager sees their own,
 * a director picks one of their team (themselves by default), admin and executive anyone.
 */
export function useSelectedManager() {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const { managers, loading, error } = useManagers();
  const fromUrl = params.get('manager');
  const managerId = fromUrl && managers.some((m) => m.id === fromUrl) ? fromUrl
    : managers.some((m) => m.id === me?.id) ? me?.id : managers[0]?.id;
  const select = (id: string) => {
    const p = new URLSearchParams(params);
    if (id === me?.id) p.delete('manager'); else p.set('manager', id);
    setParams(p, { replace: true });
  };
  return { managerId, managers, loading, error, select, manager: managers.find((m) => m.id === managerId) };
}

export function ManagerPicker({ state }: { state: ReturnType<typeof useSelectedManager> }) {
  const { t } = useTranslation();
  const { managers, managerId, select } = state;
  if (managers.length <= 1) return null;
  return (
    <Select
      label={t('visits.manager')} value={managerId ?? null} allowDeselect={false} searchable w={220}
      onChange={(v) => v && select(v)} data={managers.map((m) => ({ value: m.id, label: m.name }))} comboboxProps={{ withinPortal: true }}
    />
  );
}
