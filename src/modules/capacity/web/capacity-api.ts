/** Queries and mutations of the priority-delivery API, and who may do what on the page. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import type { Role } from '../../../web/api/types.js';
import type {
  CapacityOrder as OrderSchema, CapacityWarning as WarningSchema, CreateDepotBody, Depot as DepotSchema, Reservation as ReservationSchema,
} from '../capacity.contract.js';
export { capacityRoles } from './capacity-roles.js';

export type Depot = z.infer<typeof DepotSchema>;
export type Reservation = z.infer<typeof ReservationSchema>;
export type CapacityWarning = z.infer<typeof WarningSchema>;
export type CapacityOrder = z.infer<typeof OrderSchema>;
export type NewDepot = z.input<typeof CreateDepotBody>;

export const canPlan = (role: Role | undefined) => role === 'admin' || role === 'logistics';
export const canOrder = (role: Role | undefined) => role !== undefined && role !== 'dealer';

export const useDepots = () => useQuery({ queryKey: ['capacity', 'depots'], queryFn: () => api<{ items: Depot[] }>('/depots'), staleTime: 5 * 60_000 });

export const useReservations = (from: string, to: string) =>
  useQuery({
    queryKey: ['capacity', 'reservations', from, to],
    queryFn: () => api<{ items: Reservation[]; warnings: CapacityWarning[] }>(`/capacity-reservations${toQuery({ from, to })}`),
  });

export const useOrders = (reservationId: string | null) =>
  useQuery({
    queryKey: ['capacity', 'orders', reservationId],
    queryFn: () => api<{ items: CapacityOrder[] }>(`/capacity-reservations/${reservationId}/orders`),
    enabled: !!reservationId,
  });

/** After any change: the grid, the week's orders, and what the account page and the day show of them. */
export function useInvalidateCapacity() {
  const qc = useQueryClient();
  return () => { for (const key of ['capacity', 'account-facts', 'account-timeline', 'my-day']) void qc.invalidateQueries({ queryKey: [key] }); };
}

export function useCapacityMutations() {
  const invalidate = useInvalidateCapacity();
  const opts = { onSuccess: invalidate };
  return {
    addDepot: useMutation({ mutationFn: (b: NewDepot) => api<Depot>('/depots', { method: 'POST', body: b }), ...opts }),
    reserve: useMutation({
      mutationFn: (b: { depotId: string; week: string; truckloads: number; note: string | null }) => api<Reservation>('/capacity-reservations', { method: 'POST', body: b }), ...opts,
    }),
    changeReservation: useMutation({
      mutationFn: ({ id, ...b }: { id: string; truckloads: number; note: string | null; version: number }) => api<Reservation>(`/capacity-reservations/${id}`, { method: 'PATCH', body: b }), ...opts,
    }),
    placeOrder: useMutation({
      mutationFn: ({ reservationId, ...b }: { reservationId: string; accountId: string; truckloads: number; deliveryDate: string; orderRef: string | null; allowOver: boolean }) =>
        api<CapacityOrder>(`/capacity-reservations/${reservationId}/orders`, { method: 'POST', body: b }), ...opts,
    }),
    setStatus: useMutation({
      mutationFn: ({ id, status, version }: { id: string; status: 'delivered' | 'cancelled'; version: number }) =>
        api<CapacityOrder>(`/capacity-orders/${id}/status`, { method: 'POST', body: { status, version } }), ...opts,
    }),
  };
}
