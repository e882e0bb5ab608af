import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Ctx, ctxOf, type Deps } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { toCsv } from '../../shared/csv.js';
import { type Account, AccountQuery } from './accounts.contract.js';
import { listAccounts } from './accounts.service.js';

/** The most rows one export writes; a larger selection must be narrowed with filters. */
export const EXPORT_MAX_ROWS = 50_000;

export const ExportQuery = AccountQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

type Column = { key: string; en: string; zh: string; width: number; value: (a: Account) => string };

const columns: Column[] = [
  { key: 'code', en: 'Code', zh: '编码', width: 14, value: (a) => a.code },
  { key: 'name', en: 'Name', zh: '名称', width: 32, value: (a) => a.name },
  { key: 'nameEn', en: 'English name', zh: '英文名称', width: 32, value: (a) => a.nameEn ?? '' },
  { key: 'kind', en: 'Kind', zh: '类型', width: 14, value: (a) => a.kind },
  { key: 'tier', en: 'Tier', zh: '等级', width: 6, value: (a) => a.tier ?? '' },
  { key: 'status', en: 'Status', zh: '状态', width: 10, value: (a) => a.status },
  { key: 'owner', en: 'Owner', zh: '负责人', width: 18, value: (a) => a.ownerName ?? '' },
  { key: 'province', en: 'Province', zh: '省份', width: 12, value: (a) => a.province ?? '' },
  { key: 'city', en: 'City', zh: '城市', width: 12, value: (a) => a.city ?? '' },
  { key: 'currency', en: 'Currency', zh: '币种', width: 8, value: (a) => a.currency },
  { key: 'team', en: 'Account team', zh: '客户团队', width: 36, value: (a) => a.team.map((m) => `${m.name} (${m.role})`).join('; ') },
  { key: 'updatedAt', en: 'Updated', zh: '更新时间', width: 22, value: (a) => a.updatedAt },
];

/** Every account the list would show for the same filters and sort, page by page through the scoped service. */
async function collect(ctx: Ctx, q: ExportQuery): Promise<Account[]> {
  const { format: _format, ...filters } = q;
  const out: Account[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAccounts(ctx, { ...filters, limit: 200, cursor });
    out.push(...page.items);
    if (out.length > EXPORT_MAX_ROWS) {
      throw new AppError('too_many_rows', 413, `The export is limited to ${EXPORT_MAX_ROWS} rows; narrow the filters`);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const headerOf = (ctx: Ctx, c: Column) => (ctx.actor.locale === 'zh-CN' ? c.zh : c.en);

export function accountsToCsv(ctx: Ctx, rows: Account[]): string {
  return toCsv([columns.map((c) => headerOf(ctx, c)), ...rows.map((a) => columns.map((c) => c.value(a)))], { bom: true, recordDelimiter: 'windows' });
}

export async function accountsToXlsx(ctx: Ctx, rows: Account[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OpenKAM';
  const ws = wb.addWorksheet(ctx.actor.locale === 'zh-CN' ? '客户' : 'Accounts', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: headerOf(ctx, c), key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const a of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, c.value(a)])));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** GET /api/v1/accounts/export: the filtered accounts list as CSV or XLSX, scoped exactly like the list. */
export async function accountsExportRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/accounts/export', {
    config: { policy: 'account:read' },
    schema: {
      tags: ['accounts'], summary: 'Export the filtered accounts list (CSV or XLSX)', querystring: ExportQuery,
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const rows = await collect(ctx, req.query);
    const stamp = ctx.clock.now().toISOString().slice(0, 10);
    reply.header('cache-control', 'no-store');
    if (req.query.format === 'xlsx') {
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="accounts-${stamp}.xlsx"`).send(await accountsToXlsx(ctx, rows));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="accounts-${stamp}.csv"`).send(accountsToCsv(ctx, rows));
  });
}
