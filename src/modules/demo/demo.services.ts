/**
 * The demo world's services: the catalogue (the seed's own examples: priority delivery in the peak
 * season, timed delivery slots, staff training, engineer visits, marketing support, a direct line to
 * management), entitlements per tier and one agreement, a year of delivered services with their
 * cost, and requests in every state, a few of them still running on the clock, one overdue.
 */
import type { Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Rng } from './demo.random.js';
import { defaultTargets, departmentOfType, inPeakWindows, periodKey, requestNumber, type Period } from '../services/services.domain.js';
import { dueAt, type WorkingCalendar } from '../services/sla.domain.js';
import { DEFAULT_TIME_ZONE, localDateOf } from '../../shared/time.js';

type Rows<T extends keyof Database> = Selectable<Database[T]>[];
type Account = { id: string; code: string; tier: string | null; owner_id: string | null; status: string };
type User = { id: string; role: string; account_id: string | null; department?: string | null };

const kinds = [
  { code: 'priority_delivery', name: '旺季优先配送', nameEn: 'Priority delivery in peak season', unit: 'truckload', cost: 35_000, department: 'logistics' },
  { code: 'delivery_slot', name: '指定时段送货', nameEn: 'Timed delivery slot', unit: 'delivery_slot', cost: 8_000, department: 'logistics' },
  { code: 'staff_training', name: '经销商员工培训', nameEn: "Training for the dealer's staff", unit: 'training_session', cost: 150_000, department: 'technical' },
  { code: 'engineer_visit', name: '技术工程师现场服务', nameEn: 'Engineer on site', unit: 'engineer_visit', cost: 80_000, department: 'technical' },
  { code: 'marketing_support', name: '门店推广支持', nameEn: 'Store marketing support', unit: 'marketing_support', cost: 300_000, department: 'sales' },
  { code: 'management_line', name: '高层直通渠道', nameEn: 'Direct line to management', unit: 'escalation', cost: 50_000, department: 'management' },
] as const;
type Code = (typeof kinds)[number]['code'];

// What each tier is promised: quantity per period, when it is counted, carry-over, seasons ('peak':
// the building season, which in the demo always runs around today, so its story can be told any day).
const grants: { tier: 'A' | 'B' | 'C'; code: Code; quantity: number; period: Period; consumedOn: 'request' | 'delivery'; carry: boolean; peak?: true }[] = [
  { tier: 'A', code: 'priority_delivery', quantity: 8, period: 'month', consumedOn: 'request', carry: false, peak: true },
  { tier: 'A', code: 'delivery_slot', quantity: 10, period: 'month', consumedOn: 'delivery', carry: false },
  { tier: 'A', code: 'staff_training', quantity: 4, period: 'year', consumedOn: 'delivery', carry: false },
  { tier: 'A', code: 'engineer_visit', quantity: 2, period: 'quarter', consumedOn: 'delivery', carry: true },
  { tier: 'A', code: 'marketing_support', quantity: 2, period: 'year', consumedOn: 'request', carry: false },
  { tier: 'A', code: 'management_line', quantity: 4, period: 'quarter', consumedOn: 'request', carry: false },
  { tier: 'B', code: 'delivery_slot', quantity: 4, period: 'month', consumedOn: 'delivery', carry: false },
  { tier: 'B', code: 'staff_training', quantity: 2, period: 'year', consumedOn: 'delivery', carry: false },
  { tier: 'B', code: 'engineer_visit', quantity: 1, period: 'quarter', consumedOn: 'delivery', carry: true },
  { tier: 'C', code: 'staff_training', quantity: 1, period: 'year', consumedOn: 'delivery', carry: false },
];

// Requests: what dealers and managers ask, in both languages (the demo's staff read Chinese mostly).
const asks = [
  { type: 'delivery_problem', subject: '上周订的 P.O 42.5 晚到三天', body: '周一下的单，周四才到，工地停了两天。' },
  { type: 'delivery_problem', subject: '到货少了 20 袋', body: '送货单 40 吨，实收 39 吨，司机说装车时就少了。' },
  { type: 'quality_complaint', subject: '这批水泥凝结时间偏长', body: '客户反映初凝超过 4 小时，要求出具检测报告。' },
  { type: 'quality_complaint', subject: '包装袋破损较多', body: '本周两车货破袋约 3%，需要换袋或补货。' },
  { type: 'credit_invoicing', subject: '11 月发票单价与合同不符', body: '发票按旧价开，每吨多 15 元，请红冲重开。' },
  { type: 'credit_invoicing', subject: '申请临时提高信用额度', body: '旺季备货，希望本月额度从 80 万提到 120 万。' },
  { type: 'technical_support', subject: '瓷砖胶施工后空鼓', body: '新楼盘两户出现空鼓，想请技术人员到现场看看。' },
  { type: 'to_management', subject: '希望和销售总监面谈年度政策', body: '明年的返利和区域保护想当面谈一次。' },
] as const;


export type DemoServices = {
  service_kinds: Rows<'service_kinds'>;
  service_entitlements: Rows<'service_entitlements'>;
  service_usage: Rows<'service_usage'>;
  service_requests: Rows<'service_requests'>;
  service_request_events: Rows<'service_request_events'>;
};

export function generateServices(o: {
  now: Date; rng: Rng; idAt: (iso: string) => string; calendar: WorkingCalendar;
  accounts: Account[]; users: User[]; managersOfAccount: (accountId: string) => string | null;
  /** Accounts whose stories must be on the demo's first screens (manager1's key accounts). */
  featured: string[];
}): DemoServices {
  const { rng, idAt, now } = o;
  const nowMs = now.getTime();
  const yearAgo = new Date(nowMs - 400 * 86_400_000).toISOString().slice(0, 10);
  const created = new Date(nowMs - 420 * 86_400_000).toISOString();
  const kindRows: Rows<'service_kinds'> = kinds.map((k, i) => ({
    id: idAt(new Date(Date.parse(created) + i * 60_000).toISOString()), code: k.code, name: k.name, name_en: k.nameEn, unit: k.unit,
    unit_cost_minor: k.cost, currency: 'CNY', department: k.department, active: 1, created_at: created, updated_at: created, version: 1,
  }));
  const kindId = new Map(kindRows.map((k) => [k.code as Code, k]));
  const md = (ms: number) => new Date(ms).toISOString().slice(5, 10);
  const peakWindows = [{ from: md(nowMs - 45 * 86_400_000), to: md(nowMs + 75 * 86_400_000) }];
  const peak = JSON.stringify(peakWindows);
  const ents: Rows<'service_entitlements'> = grants.map((g, i) => ({
    id: idAt(new Date(Date.parse(created) + (10 + i) * 60_000).toISOString()), service_kind_id: kindId.get(g.code)!.id, scope: 'tier', tier: g.tier,
    account_id: null, agreement_ref: null, quantity: g.quantity, period: g.period, consumed_on: g.consumedOn, carry_over: g.carry ? 1 : 0,
    peak_windows_json: g.peak ? peak : null, valid_from: yearAgo, valid_to: null, created_at: created, updated_at: created, version: 1,
  }));
  const active = o.accounts.filter((a) => a.status === 'active' && a.tier && a.tier !== 'C');
  // One key account has an agreement on top of its tier: four more priority truckloads a month.
  const top = o.featured[0] ?? active[0]?.id;
  if (top) {
    ents.push({
      id: idAt(new Date(Date.parse(created) + 30 * 60_000).toISOString()), service_kind_id: kindId.get('priority_delivery')!.id, scope: 'agreement', tier: null,
      account_id: top, agreement_ref: 'KA-2026-001', quantity: 4, period: 'month', consumed_on: 'request', carry_over: 0, peak_windows_json: peak,
      valid_from: yearAgo, valid_to: null, created_at: created, updated_at: created, version: 1,
    });
  }

  // A year of delivered services, within each period's allowance; the current period partly used.
  const usage: Rows<'service_usage'> = [];
  const usedIn = new Map<string, number>();
  const tz = DEFAULT_TIME_ZONE;
  const staffId = o.users.find((u) => u.role === 'logistics')?.id ?? o.users[0]!.id;
  for (const a of active) {
    const by = o.managersOfAccount(a.id) ?? staffId;
    for (const e of ents.filter((x) => x.scope === 'tier' && x.tier === a.tier)) {
      const k = kindRows.find((x) => x.id === e.service_kind_id)!;
      const events = a.tier === 'A' ? rng.int(3, 12) : rng.int(0, 4);
      for (let n = 0; n < events; n++) {
        const at = new Date(nowMs - rng.int(1, 360) * 86_400_000 - rng.int(0, 8 * 60) * 60_000);
        const date = localDateOf(at, tz);
        if (e.peak_windows_json && !inPeakWindows(peakWindows, date)) continue;
        const key = `${a.id}|${e.id}|${periodKey(e.period as Period, date)}`;
        const q = k.unit === 'truckload' ? rng.int(1, 3) : 1;
        if ((usedIn.get(key) ?? 0) + q > e.quantity) continue;
        usedIn.set(key, (usedIn.get(key) ?? 0) + q);
        const iso = at.toISOString();
        usage.push({
          id: idAt(iso), account_id: a.id, service_kind_id: k.id, entitlement_id: e.id, period_key: periodKey(e.period as Period, date), quantity: q,
          status: 'delivered', cost_minor: Number(k.unit_cost_minor) * q, currency: 'CNY', request_id: null, reference: null, note: null,
          at: iso, delivered_at: iso, created_by: by, created_at: iso, updated_at: iso, version: 1,
        });
      }
    }
  }

  // Requests: resolved ones over the last two months, and the ones still open today.
  const requests: Rows<'service_requests'> = [];
  const events: Rows<'service_request_events'> = [];
  const dept = (d: string) => o.users.filter((u) => u.department === d).map((u) => u.id);
  const dealerOf = new Map(o.users.filter((u) => u.role === 'dealer' && u.account_id).map((u) => [u.account_id!, u.id]));
  const pool = [...o.featured, ...active.slice(0, 40).map((a) => a.id)];
  const add = (accountId: string, ask: (typeof asks)[number], openedMs: number, state: 'closed' | 'resolved' | 'in_progress' | 'waiting_customer' | 'open', priority: 'normal' | 'high' | 'urgent') => {
    const department = departmentOfType[ask.type];
    const portal = dealerOf.has(accountId) && rng.chance(0.6);
    const openedBy = portal ? dealerOf.get(accountId)! : (o.managersOfAccount(accountId) ?? staffId);
    const start = new Date(openedMs);
    const t = defaultTargets[priority];
    const responseDue = dueAt(o.calendar, start, t.response), resolutionDue = dueAt(o.calendar, start, t.resolution);
    const staff = dept(department);
    const assignee = state === 'open' || !staff.length ? null : rng.pick(staff);
    const iso = start.toISOString();
    const responded = state === 'open' ? null : new Date(Math.min(openedMs + rng.int(20, 150) * 60_000, nowMs - 60_000)).toISOString();
    const nextDue = responded ? resolutionDue : responseDue;
    const warn = dueAt(o.calendar, start, Math.floor((responded ? t.resolution : t.response) * 0.8));
    const resolvedAt = state === 'closed' || state === 'resolved' ? new Date(Math.min(resolutionDue.getTime() - rng.int(0, 600) * 60_000, nowMs - 3_600_000)).toISOString() : null;
    const breached = !resolvedAt && nextDue.getTime() <= nowMs && state !== 'waiting_customer';
    const id = idAt(iso);
    requests.push({
      id, number: '', account_id: accountId, type: ask.type, service_kind_id: null, department, priority, subject: ask.subject, body: ask.body,
      status: state, opened_by: openedBy, opened_via: portal ? 'portal' : 'staff', assignee_id: assignee, escalation_level: breached ? 2 : 1,
      response_minutes: t.response, resolution_minutes: t.resolution, response_due_at: responseDue.toISOString(), resolution_due_at: resolutionDue.toISOString(),
      next_due_at: nextDue.toISOString(), warn_at: warn.toISOString(), first_response_at: responded,
      waiting_since: state === 'waiting_customer' ? new Date(nowMs - 26 * 3_600_000).toISOString() : null, paused_json: '[]',
      sla_state: resolvedAt ? 'met' : breached ? 'breached' : warn.getTime() <= nowMs ? 'warning' : 'ok',
      warned_at: breached || warn.getTime() <= nowMs ? warn.toISOString() : null, breached_at: breached ? nextDue.toISOString() : null,
      resolved_at: resolvedAt, closed_at: state === 'closed' ? resolvedAt : null, created_at: iso, updated_at: resolvedAt ?? responded ?? iso, version: 1,
    });
    const ev = (kind: string, at: string, author: string | null, body: string | null, internal = false, to: string | null = null, from: string | null = null) =>
      events.push({ id: idAt(at), request_id: id, account_id: accountId, kind, internal: internal ? 1 : 0, body, from_status: from, to_status: to, author_id: author, at });
    ev('opened', iso, openedBy, ask.body, false, 'open');
    if (responded && assignee) {
      ev('assigned', responded, assignee, null, true);
      ev('message', responded, assignee, '收到，我们马上核实，今天内给您答复。');
    }
    if (state === 'waiting_customer') ev('status', new Date(nowMs - 26 * 3_600_000).toISOString(), assignee, '请提供送货单照片和收货时间。', false, 'waiting_customer', 'in_progress');
    if (breached) ev('sla_breach', nextDue.toISOString(), null, `resolution due ${nextDue.toISOString()}`, true);
    if (resolvedAt) ev('status', resolvedAt, assignee, '已处理完毕，如有问题请随时联系。', false, 'resolved', 'in_progress');
  };
  // History: resolved and closed over the past 60 days.
  for (let i = 0; i < 24 && pool.length; i++) {
    const when = nowMs - rng.int(3, 60) * 86_400_000 - rng.int(0, 6 * 60) * 60_000;
    add(rng.pick(pool), rng.pick(asks), when, rng.chance(0.7) ? 'closed' : 'resolved', rng.pick(['normal', 'normal', 'high'] as const));
  }
  // Today: one of each state on the featured accounts first, so manager1 and the queues have them.
  const f = (i: number) => pool[i % pool.length]!;
  if (pool.length) {
    add(f(0), asks[0], nowMs - 50 * 3_600_000, 'in_progress', 'high'); // the late delivery, being handled
    add(f(1), asks[2], nowMs - 6 * 86_400_000, 'in_progress', 'urgent'); // a quality complaint past due
    add(f(2), asks[4], nowMs - 3 * 86_400_000, 'waiting_customer', 'normal');
    add(f(3), asks[6], nowMs - 2 * 3_600_000, 'open', 'normal');
    add(f(4), asks[1], nowMs - 30 * 60_000, 'open', 'high');
    add(f(5), asks[5], nowMs - 20 * 3_600_000, 'in_progress', 'normal');
    add(f(6), asks[7], nowMs - 4 * 86_400_000, 'in_progress', 'normal');
  }
  // Numbered in the order they were opened, per year, as the service desk numbers them.
  requests.sort((a, b) => a.created_at.localeCompare(b.created_at));
  const perYear = new Map<number, number>();
  for (const r of requests) {
    const y = Number(r.created_at.slice(0, 4));
    perYear.set(y, (perYear.get(y) ?? 0) + 1);
    r.number = requestNumber(y, perYear.get(y)!);
  }
  return { service_kinds: kindRows, service_entitlements: ents, service_usage: usage, service_requests: requests, service_request_events: events };
}
