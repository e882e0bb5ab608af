import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx } from '../server/context.js';
import { type AccountFact, type AgendaFlag, type AgendaItem, AgendaSection, type PortalCard, type PriceStep, type TimelineEvent } from './contributions.contract.js';
import { allows, type Permission } from '../server/policy.js';

/** Which timeline events to return: newest first, before a (time, id) cursor. */
export type TimelineQuery = { limit: number; before?: { at: string; id: string }; kinds?: string[]; userId?: string };

/**
 * Which waterfall: one account and one product over a window [from, to) of invoice dates, for a
 * volume (the window's actual quantity, or an expected one for a horizon ahead).
 */
export type PocketQuery = { accountId: string; productId: string; from: string; to: string; quantity: number; currency: string };

/** The caller's day: a UTC instant range for "today" in their time zone, and the date. */
export type DayQuery = { date: string; from: string; to: string };

/**
 * What one feature module adds to the places a person works: figures in the account header,
 * events on the account timeline, items on someone's day, cards in the dealer portal.
 * Each part declares the permission its reader must hold; the registry asks no module whose
 * permission the caller lacks, so a dealer never reaches an internal contribution.
 */
export type Contribution = {
  /** The module's name, carried on everything it contributes (and in error reports). */
  module: string;
  facts?: { permission: Permission; list(ctx: Ctx, accountId: string): Promise<AccountFact[]> };
  /** `kinds`: every event kind the module may emit, for the timeline's filter. */
  timeline?: { permission: Permission; kinds: string[]; list(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> };
  /**
   * `sections`: the sections of the day (beyond the list of things to do) this part fills for the
   * caller, so the day shows them with an empty state when nothing falls in them today.
   */
  agenda?: { permission: Permission; list(ctx: Ctx, day: DayQuery): Promise<AgendaItem[]>; sections?(ctx: Ctx): AgendaSection[] };
  /** Flags on other modules' agenda items (e.g. a warning over the site of a visit), by item id. */
  agendaFlags?: { permission: Permission; list(ctx: Ctx, items: AgendaItem[]): Promise<Record<string, AgendaFlag[]>> };
  portal?: { permission: Permission; list(ctx: Ctx): Promise<PortalCard[]> };
  /** Steps of the price waterfall this module knows (list price, discounts, rebates, services at cost, freight, claims). */
  pocket?: { permission: Permission; list(ctx: Ctx, q: PocketQuery): Promise<PriceStep[]> };
  /** Audit actions this module shows as its own timeline events, so the raw history leaves them out. */
  claimsAudit?: string[];
};

type Part = 'facts' | 'timeline' | 'agenda' | 'agendaFlags' | 'portal' | 'pocket';
type Log = { error(obj: unknown, msg: string): void };

/** Modules whose part failed: the page still shows everything else, and says what is missing. */
export type Gathered<T> = { items: T[]; unavailable: string[] };

/**
 * The one registry. Modules add their contribution when their routes are registered
 * (`deps.contributions.add`); the account page, my day and the portal read through it.
 */
export type Contributions = {
  add(c: Contribution): void;
  /** The audit actions modules show as their own events (see `Contribution.claimsAudit`). */
  claimedAuditActions(): string[];
  /** Every timeline kind the caller may see, by module. */
  timelineKinds(ctx: Ctx): { module: string; kinds: string[] }[];
  facts(ctx: Ctx, accountId: string): Promise<Gathered<AccountFact>>;
  timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<Gathered<TimelineEvent> & { next: { at: string; id: string } | null }>;
  agenda(ctx: Ctx, day: DayQuery): Promise<Gathered<AgendaItem> & { sections: AgendaSection[] }>;
  portal(ctx: Ctx): Promise<Gathered<PortalCard>>;
  /** The waterfall's steps, list price first; the caller must already have checked the account is visible. */
  pocket(ctx: Ctx, q: PocketQuery): Promise<Gathered<PriceStep>>;
};

/** Newest first, then by id descending: the one order of the timeline (and its cursor). */
export const byTimeDesc = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

export function createContributions(log: Log): Contributions {
  const all: Contribution[] = [];
  const readable = <P extends Part>(ctx: Ctx, part: P) =>
    all.filter((c): c is Contribution & Required<Pick<Contribution, P>> => !!c[part] && allows(ctx.actor.role, c[part]!.permission));

  // One module failing (its table locked, a bug) must not take the account page or the day down with it.
  async function gather<C extends Contribution, T>(parts: C[], part: Part, call: (c: C) => Promise<T[]>): Promise<Gathered<T>> {
    const settled = await Promise.allSettled(parts.map(call));
    const items: T[] = [];
    const unavailable: string[] = [];
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') items.push(...s.value);
      else {
        unavailable.push(parts[i]!.module);
        log.error({ err: s.reason, module: parts[i]!.module, part }, 'a module contribution failed');
      }
    });
    return { items, unavailable };
  }

  return {
    add(c) {
      if (all.some((x) => x.module === c.module)) throw new Error(`contribution of module ${c.module} registered twice`);
      all.push(c);
    },
    claimedAuditActions: () => all.flatMap((c) => c.claimsAudit ?? []),
    timelineKinds: (ctx) => readable(ctx, 'timeline').map((c) => ({ module: c.module, kinds: c.timeline.kinds })),
    async facts(ctx, accountId) {
      const g = await gather(readable(ctx, 'facts'), 'facts', (c) => c.facts.list(ctx, accountId));
      g.items.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
      return g;
    },
    async timeline(ctx, accountId, q) {
      const parts = readable(ctx, 'timeline').filter((c) => !q.kinds || c.timeline.kinds.some((k) => q.kinds!.includes(k)));
      // Each module returns its newest `limit + 1` events before the cursor; merged, the first
      // `limit` are the page, the last of them the next cursor (keyset paging across modules),
      // and anything beyond says there is a next page.
      const g = await gather(parts, 'timeline', (c) => c.timeline.list(ctx, accountId, { ...q, limit: q.limit + 1 }));
      const merged = g.items
        .filter((e) => (!q.kinds || q.kinds.includes(e.kind)) && (!q.before || byTimeDesc(e, q.before) > 0))
        .sort(byTimeDesc);
      const items = merged.slice(0, q.limit);
      const last = items[items.length - 1];
      return { items, unavailable: g.unavailable, next: merged.length > q.limit && last ? { at: last.at, id: last.id } : null };
    },
    async agenda(ctx, day) {
      const parts = readable(ctx, 'agenda');
      const g = await gather(parts, 'agenda', (c) => c.agenda.list(ctx, day));
      const declared = new Set(parts.flatMap((c) => c.agenda.sections?.(ctx) ?? []));
      for (const i of g.items) if (i.section) declared.add(i.section);
      const sections = AgendaSection.options.filter((s) => declared.has(s));
      const flaggers = readable(ctx, 'agendaFlags');
      if (g.items.length && flaggers.length) {
        const flags = await gather(flaggers, 'agendaFlags', async (c) => [await c.agendaFlags.list(ctx, g.items)]);
        for (const byItem of flags.items) for (const item of g.items) item.flags.push(...(byItem[item.id] ?? []));
        g.unavailable.push(...flags.unavailable);
      }
      const rank = { now: 0, today: 1, waiting: 2, soon: 3 } as const;
      g.items.sort((a, b) => rank[a.urgency] - rank[b.urgency] || (a.at ?? '9').localeCompare(b.at ?? '9') || (a.order ?? 0) - (b.order ?? 0) || a.id.localeCompare(b.id));
      return { ...g, sections };
    },
    async portal(ctx) {
      const g = await gather(readable(ctx, 'portal'), 'portal', (c) => c.portal.list(ctx));
      // What to act on (a warning over the dealer's warehouse) before whom to call and what to know.
      const rank = { act: 0, watch: 1, ok: 2, info: 3 } as const;
      g.items.sort((a, b) => rank[a.status] - rank[b.status]);
      return g;
    },
    async pocket(ctx, q) {
      const g = await gather(readable(ctx, 'pocket'), 'pocket', (c) => c.pocket.list(ctx, q));
      g.items.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
      return g;
    },
  };
}

/**
 * The SQL condition for one source of timeline events whose ids are `prefix + row id`: the rows
 * strictly before the cursor in (time desc, event id desc) order. Exact across sources: a cursor
 * from another source compares by its prefix, so no event is skipped or repeated between pages.
 */
export function timelineBefore(prefix: string, atColumn: string | Expression<string>, idColumn: string, before: TimelineQuery['before']): Expression<SqlBool> {
  if (!before) return sql<SqlBool>`1 = 1`;
  const at = typeof atColumn === 'string' ? sql.ref(atColumn) : atColumn;
  if (before.id.startsWith(prefix)) return sql<SqlBool>`(${at} < ${before.at} or (${at} = ${before.at} and ${sql.ref(idColumn)} < ${before.id.slice(prefix.length)}))`;
  return prefix < before.id ? sql<SqlBool>`${at} <= ${before.at}` : sql<SqlBool>`${at} < ${before.at}`;
}
