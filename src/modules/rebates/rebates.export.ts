/**
 * A settlement's credit note as XLSX: the header (number, agreement, period cut-off, earned,
 * paid before, amount) and the lines. Codes and numbers of documents stay text (a code such as
 * "00123" must not become 123); amounts are given in minor units (integers, exact) and in major
 * units for reading.
 */
import ExcelJS from 'exceljs';
import type { Ctx } from '../../server/context.js';
import { currencyDigits } from '../../shared/money.js';
import { addDays } from '../../shared/time.js';
import type { Settlement } from './rebates.contract.js';

export async function creditNoteXlsx(ctx: Ctx, s: Settlement): Promise<Buffer> {
  const zh = ctx.actor.locale === 'zh-CN';
  const t = (en: string, cn: string) => (zh ? cn : en);
  const digits = currencyDigits(s.currency);
  const major = (minor: number) => minor / 10 ** digits;
  const fmt = digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OpenKAM';
  const ws = wb.addWorksheet(t('Credit note', '贷项通知单'));
  const head: [string, string | number, string?][] = [
    [t('Credit note', '贷项通知单编号'), s.number],
    [t('Agreement', '返利协议'), `${s.agreementNumber} ${s.agreementName}`],
    [t('Kind', '类型'), s.kind === 'final' ? t('Final settlement', '最终结算') : t('Partial settlement', '阶段结算')],
    [t('Invoices up to', '发票截至'), addDays(s.cutoff, -1)],
    [t('Status', '状态'), s.status === 'reversed' ? t(`Reversed: ${s.reversalReason ?? ''}`, `已冲销：${s.reversalReason ?? ''}`) : t('Issued', '已开具')],
    [t('Currency', '币种'), s.currency],
    [t(s.basisKind === 'quantity' ? 'Quantity' : 'Basis (net invoiced)', s.basisKind === 'quantity' ? '数量' : '返利基数（开票净额）'), s.basisKind === 'quantity' ? s.basis : major(s.basis), s.basisKind === 'quantity' ? '#,##0' : fmt],
    [t('Earned to the cut-off', '截至结算日应得返利'), major(s.earnedToDateMinor), fmt],
    [t('Paid by earlier settlements', '以往结算已付'), major(s.alreadyPaidMinor), fmt],
    [t('Amount of this credit note', '本通知单金额'), major(s.amountMinor), fmt],
    [t('Amount in minor units', '金额（最小货币单位）'), s.amountMinor, '0'],
    [t('Rounding', '舍入规则'), t(s.rounding, '返利按精确值计算，四舍五入到最小货币单位一次；本次金额 = 截至结算日应得 − 以往已付；各行按基数以最大余数法分摊，合计与总额完全一致。')],
  ];
  for (const [label, value, numFmt] of head) {
    const row = ws.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    if (numFmt) row.getCell(2).numFmt = numFmt;
    else row.getCell(2).numFmt = '@';
  }
  ws.addRow([]);
  const header = ws.addRow([t('Line', '行'), t('Account code', '客户编码'), t('Account', '客户'), t('Basis', '基数'), t('Amount', '金额'), t('Amount (minor units)', '金额（最小单位）')]);
  header.font = { bold: true };
  for (const l of s.lines) {
    const row = ws.addRow([l.lineNo, l.accountCode, l.accountName, s.basisKind === 'quantity' ? l.basis : major(l.basis), major(l.amountMinor), l.amountMinor]);
    row.getCell(2).numFmt = '@';
    row.getCell(4).numFmt = s.basisKind === 'quantity' ? '#,##0' : fmt;
    row.getCell(5).numFmt = fmt;
  }
  const total = ws.addRow([t('Total', '合计'), '', '', '', major(s.lines.reduce((a, l) => a + l.amountMinor, 0)), s.lines.reduce((a, l) => a + l.amountMinor, 0)]);
  total.font = { bold: true };
  total.getCell(5).numFmt = fmt;
  ws.getColumn(1).width = 30;
  ws.getColumn(2).width = 28;
  ws.getColumn(3).width = 30;
  ws.getColumn(4).width = 16;
  ws.getColumn(5).width = 16;
  ws.getColumn(6).width = 18;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
