/** The ABC table, the key-account ranking and the 80/20 attention check as XLSX workbooks. */
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import type { Attention, Segmentation } from './portfolio.contract.js';

type Col<T> = { en: string; zh: string; width: number; value: (r: T) => string | number | null; format?: string };
const pct = '0.0%';
const money = '#,##0.00';
const minor = (v: number) => v / 100;

function sheet<T>(wb: ExcelJS.Workbook, ctx: Ctx, name: [string, string], cols: Col<T>[], rows: T[]): void {
  const zh = ctx.actor.locale === 'zh-CN';
  const ws = wb.addWorksheet(zh ? name[1] : name[0], { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c, i) => ({ header: zh ? c.zh : c.en, key: `c${i}`, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(Object.fromEntries(cols.map((c, i) => [`c${i}`, c.value(r)])));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
}

type Seg = z.infer<typeof Segmentation>;
type Row = Seg['items'][number];

const segCols: Col<Row>[] = [
  { en: 'Rank', zh: '排名', width: 7, value: (r) => r.rank },
  { en: 'Code', zh: '编码', width: 12, value: (r) => r.code },
  { en: 'Name', zh: '名称', width: 30, value: (r) => r.name },
  { en: 'English name', zh: '英文名称', width: 30, value: (r) => r.nameEn },
  { en: 'Owner', zh: '负责人', width: 16, value: (r) => r.ownerName },
  { en: 'Value', zh: '金额', width: 16, value: (r) => minor(r.valueMinor), format: money },
  { en: 'Share', zh: '占比', width: 9, value: (r) => r.scopeShare, format: pct },
  { en: 'Cumulative share', zh: '累计占比', width: 12, value: (r) => r.scopeCumulativeShare, format: pct },
  { en: 'Company share', zh: '全公司占比', width: 12, value: (r) => r.share, format: pct },
  { en: 'Company cumulative share', zh: '全公司累计占比', width: 14, value: (r) => r.cumulativeShare, format: pct },
  { en: 'Tier', zh: '等级', width: 6, value: (r) => r.tier },
  { en: 'Current tier', zh: '当前等级', width: 10, value: (r) => r.currentTier },
  { en: 'Key account', zh: '关键客户', width: 10, value: (r) => (r.keyAccount ? '✓' : '') },
  { en: 'Designation reason', zh: '指定原因', width: 30, value: (r) => r.designationReason },
];

function about(wb: ExcelJS.Workbook, ctx: Ctx, w: Seg['window'], scope?: Seg['scope']): void {
  const zh = ctx.actor.locale === 'zh-CN';
  const ws = wb.addWorksheet(zh ? '说明' : 'About');
  const scopeText = scope && (zh
    ? `${{ all: '全部客户', team: '您所管团队的客户', own: '您的客户', department: '您部门受理的客户' }[scope.kind]}（${scope.accounts} 个；等级与排名按全公司 ${scope.companyAccounts} 个客户计算）`
    : `${{ all: 'all accounts', team: "your teams' accounts", own: 'your accounts', department: "your department's accounts" }[scope.kind]} (${scope.accounts}; tiers and ranks over the company's ${scope.companyAccounts})`);
  ws.addRows([
    ...(scopeText ? [[zh ? '范围' : 'Scope', scopeText]] : []),
    [zh ? '期间' : 'Window', `${w.from} – ${w.to}`], [zh ? '依据' : 'Basis', w.basis], [zh ? '币种' : 'Currency', w.currency],
    [zh ? '品类' : 'Category', w.category ?? (zh ? '全部' : 'all')], ['A', `≤ ${w.thresholdA * 100}%`], ['B', `≤ ${w.thresholdB * 100}%`],
    [zh ? '导出时间' : 'Exported', ctx.clock.now().toISOString()],
  ]);
  ws.getColumn(1).width = 14;
  ws.getColumn(2).width = scope ? 64 : 30;
}

export async function segmentationXlsx(ctx: Ctx, s: Seg, title: [string, string]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OpenKAM';
  sheet(wb, ctx, title, segCols, s.items);
  about(wb, ctx, s.window, s.scope);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Att = z.infer<typeof Attention>;

export async function attentionXlsx(ctx: Ctx, a: Att): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OpenKAM';
  type G = { who: string; minutes: number; tier: string; timeShare: number; revenueShare: number; ratio: number | null };
  const flat = (who: string, g: { minutes: number; tiers: Att['byManager'][number]['tiers'] }): G[] =>
    g.tiers.map((t) => ({ who, minutes: t.minutes, tier: t.tier, timeShare: t.timeShare, revenueShare: t.revenueShare, ratio: t.ratio }));
  const gcols: Col<G>[] = [
    { en: 'Who', zh: '人员/团队', width: 22, value: (r) => r.who },
    { en: 'Tier', zh: '等级', width: 6, value: (r) => r.tier },
    { en: 'Hours', zh: '小时', width: 9, value: (r) => Math.round((r.minutes / 60) * 10) / 10 },
    { en: 'Share of time', zh: '时间占比', width: 12, value: (r) => r.timeShare, format: pct },
    { en: 'Share of revenue', zh: '收入占比', width: 12, value: (r) => r.revenueShare, format: pct },
    { en: 'Time ÷ revenue', zh: '时间/收入', width: 12, value: (r) => (r.ratio === null ? null : Math.round(r.ratio * 100) / 100) },
  ];
  sheet(wb, ctx, ['Managers', '客户经理'], gcols, a.byManager.flatMap((m) => flat(m.name, m)));
  sheet(wb, ctx, ['Teams', '团队'], gcols, a.byTeam.flatMap((t) => flat(t.name ?? '—', t)));
  type Acc = Att['accounts'][number];
  sheet<Acc>(wb, ctx, ['Accounts', '客户'], [
    { en: 'Code', zh: '编码', width: 12, value: (r) => r.code },
    { en: 'Name', zh: '名称', width: 30, value: (r) => r.name },
    { en: 'English name', zh: '英文名称', width: 30, value: (r) => r.nameEn },
    { en: 'Tier', zh: '等级', width: 6, value: (r) => r.tier },
    { en: 'Hours', zh: '小时', width: 9, value: (r) => Math.round((r.minutes / 60) * 10) / 10 },
    { en: 'Share of attention', zh: '时间占比', width: 12, value: (r) => r.attentionShare, format: pct },
    { en: 'Share of revenue', zh: '收入占比', width: 12, value: (r) => r.revenueShare, format: pct },
    { en: 'Attention ÷ revenue', zh: '时间/收入', width: 12, value: (r) => (r.ratio === null ? null : Math.round(r.ratio * 100) / 100) },
    { en: 'Verdict', zh: '判断', width: 12, value: (r) => r.verdict },
  ], a.accounts);
  about(wb, ctx, a.window);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
