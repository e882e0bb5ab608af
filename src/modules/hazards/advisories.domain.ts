/** Advisory states and the proposed stock move. Pure. */
import { haversineMetres, type LatLng } from '../../shared/geo.js';

export type AdvisoryStatus = 'open' | 'contacted' | 'actioned' | 'closed';

/** The one way forward from each state: open → contacted → actioned → closed (with outcome). */
export const NEXT: Record<AdvisoryStatus, AdvisoryStatus | null> = { open: 'contacted', contacted: 'actioned', actioned: 'closed', closed: null };

export type Candidate = LatLng & { id: string; name: string; accountId: string; companySite: boolean };

export type MoveProposal = {
  kind: 'same-account' | 'company-site' | 'none';
  siteId: string | null;
  siteName: string | null;
  accountId: string | null;
  distanceM: number | null;
  text: string;
  textZh: string;
};

/**
 * Where to move the stock of `from`: the nearest site of the same account that is not at risk,
 * else the nearest company site not at risk, else nothing (keep the stock safe in place).
 */
export function proposeMove(from: LatLng & { id: string; accountId: string }, candidates: readonly Candidate[], atRisk: ReadonlySet<string>): MoveProposal {
  const safe = candidates.filter((c) => c.id !== from.id && !atRisk.has(c.id));
  const nearest = (list: Candidate[]) =>
    list.map((c) => ({ c, d: haversineMetres(from, c) })).sort((a, b) => a.d - b.d || (a.c.id < b.c.id ? -1 : 1))[0];
  const own = nearest(safe.filter((c) => c.accountId === from.accountId));
  const pick = own ? { ...own, kind: 'same-account' as const } : (() => {
    const company = nearest(safe.filter((c) => c.companySite));
    return company ? { ...company, kind: 'company-site' as const } : undefined;
  })();
  if (!pick) {
    return {
      kind: 'none', siteId: null, siteName: null, accountId: null, distanceM: null,
      text: 'No site outside the warning area is known: protect the stock in place (raise it off the floor, seal doors, move it upstairs).',
      textZh: '没有位于预警区域外的仓库：请就地保护库存（垫高、封堵门口、移至楼上）。',
    };
  }
  const km = (pick.d / 1000).toFixed(1);
  const where = pick.kind === 'same-account' ? "the dealer's own site" : 'the company site';
  const whereZh = pick.kind === 'same-account' ? '经销商自己的' : '公司';
  return {
    kind: pick.kind, siteId: pick.c.id, siteName: pick.c.name, accountId: pick.c.accountId, distanceM: Math.round(pick.d),
    text: `Move stock to ${where} "${pick.c.name}", ${km} km away, outside the warning area.`,
    textZh: `将库存转移到${km}公里外、预警区域以外的${whereZh}仓库"${pick.c.name}"。`,
  };
}
