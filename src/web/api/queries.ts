import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { accountPaths } from '../pages/account-first-load.js';
import { api, toQuery, type QueryValue } from './client.js';
import type { Account, Page, PublicConfig, Team, Territory, User } from './types.js';

/** Public settings (the basemap's tile URL); read once. */
export const useConfig = () => useQuery({ queryKey: ['config'], queryFn: () => api<PublicConfig>('/config'), staleTime: Infinity });

/** A cursor-paged list as an infinite query ("Show more" fetches the next page). */
export function usePaged<T>(key: string, path: string, params: Record<string, QueryValue>, enabled = true) {
  return useInfiniteQuery({
    queryKey: [key, params],
    queryFn: ({ pageParam, signal }) => api<Page<T>>(`${path}${toQuery({ ...params, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export const useAccount = (id: string | undefined) =>
  useQuery({ queryKey: ['account', id], queryFn: () => api<Account>(accountPaths.account(id!)), enabled: !!id });

/** All staff (for owner filters and names); one page of 200 covers a sales organisation. */
export const useStaff = (enabled = true) =>
  useQuery({ queryKey: ['users', 'all'], queryFn: () => api<Page<User>>('/users?limit=200'), staleTime: 5 * 60_000, enabled });

export const useTeams = (enabled = true) => useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/teams'), staleTime: 5 * 60_000, enabled });

export const useTerritories = (enabled = true) =>
  useQuery({ queryKey: ['territories'], queryFn: () => api<{ items: Territory[] }>('/territories'), staleTime: 5 * 60_000, enabled });
