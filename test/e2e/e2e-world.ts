import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/db/database.js';
import { hashPassword } from '../../src/modules/auth/auth.tokens.js';
import type { Clock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { isHoliday } from '../../src/modules/demo/demo.program.js';

export const DEMO_PASSWORD = 'openkam-demo';

/**
 * 10:00 in Shanghai on the next working Thursday from `from`: manager1's Thursday route in the demo
 * world runs along the Wenling coast, under the demo's typhoon warning.
 */
export function nextThursdayMorning(from: Date): Date {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 2, 0));
  while (day.getUTCDay() !== 4 || isHoliday(day.toISOString().slice(0, 10))) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}
const demoSeedFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/modules/demo/demo.seed.ts');

/**
 * Seeds the demo world ('small') when the demo generator exists; until then a compact stand-in
 * with the same e-mail conventions (admin@, director1@, manager1@, manager2@, logistics@, exec@,
 * dealer-<code>@demo.openkam.local, password openkam-demo).
 */
export async function seedE2eWorld(db: Db, now: Date, clock?: Clock, scale: 'small' | 'full' = 'small'): Promise<'demo' | 'stand-in'> {
  if (existsSync(demoSeedFile)) {
    const mod = (await import(demoSeedFile)) as { seedDemoWorld?: (db: Db, opts: { scale: 'small' | 'full'; clock?: Clock }) => Promise<unknown> };
    if (typeof mod.seedDemoWorld === 'function') {
      await mod.seedDemoWorld(db, { scale, ...(clock && { clock }) });
      return 'demo';
    }
  }
  await seedStandIn(db, now);
  return 'stand-in';
}

async function seedStandIn(db: Db, now: Date): Promise<void> {
  const k = db.kysely;
  const hash = await hashPassword(DEMO_PASSWORD);
  const at = now.toISOString();
  const dayIso = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
  const territories = { EAST: newId(), SOUTH: newId() };
  await k.insertInto('territories').values([
    { id: territories.EAST, code: 'EAST', name: 'East China', name_zh: '华东', created_at: at },
    { id: territories.SOUTH, code: 'SOUTH', name: 'South China', name_zh: '华南', created_at: at },
  ]).execute();
  const team1 = newId();
  const team2 = newId();
  await k.insertInto('teams').values([
    { id: team1, name: '华东一组', director_id: null, territory_id: territories.EAST, created_at: at, updated_at: at, version: 1 },
    { id: team2, name: '华南一组', director_id: null, territory_id: territories.SOUTH, created_at: at, updated_at: at, version: 1 },
  ]).execute();
  const u: Record<string, string> = {};
  const user = (key: string, name: string, role: string, teamId: string | null, accountId: string | null = null) => {
    u[key] = newId();
    return { id: u[key]!, email: `${key}@demo.openkam.local`, name, role, password_hash: hash, locale: 'zh-CN', time_zone: 'Asia/Shanghai', team_id: teamId, account_id: accountId, active: 1, created_at: at, updated_at: at, version: 1 };
  };
  type A = { code: string; name: string; en: string; owner: string; tier: 'A' | 'B' | 'C'; province: string; city: string; lat: number; lng: number; territory: keyof typeof territories; kind: string };
  const accounts: A[] = [
    { code: 'ZJ-TZ-001', name: '台州恒达建材有限公司', en: 'Taizhou Hengda Building Materials', owner: 'manager1', tier: 'A', province: '浙江省', city: '台州市', lat: 28.66, lng: 121.42, territory: 'EAST', kind: 'dealer' },
    { code: 'ZJ-HZ-002', name: '杭州新宇贸易有限公司', en: 'Hangzhou Xinyu Trading', owner: 'manager1', tier: 'A', province: '浙江省', city: '杭州市', lat: 30.27, lng: 120.15, territory: 'EAST', kind: 'distributor' },
    { code: 'JS-SZ-003', name: '苏州华联建材商行', en: 'Suzhou Hualian Building Supplies', owner: 'manager1', tier: 'B', province: '江苏省', city: '苏州市', lat: 31.3, lng: 120.62, territory: 'EAST', kind: 'dealer' },
    { code: 'SH-PD-004', name: '上海浦东永盛五金', en: 'Shanghai Yongsheng Hardware', owner: 'manager1', tier: 'C', province: '上海市', city: '浦东新区', lat: 31.22, lng: 121.54, territory: 'EAST', kind: 'retail_chain' },
    { code: 'JS-NJ-005', name: '南京金陵建材城', en: 'Nanjing Jinling Building Market', owner: 'manager2', tier: 'A', province: '江苏省', city: '南京市', lat: 32.06, lng: 118.8, territory: 'EAST', kind: 'distributor' },
    { code: 'AH-HF-006', name: '合肥瑞丰建材有限公司', en: 'Hefei Ruifeng Building Materials', owner: 'manager2', tier: 'B', province: '安徽省', city: '合肥市', lat: 31.82, lng: 117.23, territory: 'EAST', kind: 'dealer' },
    { code: 'GD-GZ-007', name: '广州粤丰建材贸易', en: 'Guangzhou Yuefeng Trading', owner: 'manager3', tier: 'A', province: '广东省', city: '广州市', lat: 23.13, lng: 113.26, territory: 'SOUTH', kind: 'distributor' },
    { code: 'GD-SZ-008', name: '深圳鹏城五金建材', en: 'Shenzhen Pengcheng Hardware', owner: 'manager3', tier: 'B', province: '广东省', city: '深圳市', lat: 22.54, lng: 114.06, territory: 'SOUTH', kind: 'dealer' },
    { code: 'FJ-XM-009', name: '厦门海沧建材有限公司', en: 'Xiamen Haicang Building Materials', owner: 'manager3', tier: 'C', province: '福建省', city: '厦门市', lat: 24.48, lng: 118.09, territory: 'SOUTH', kind: 'dealer' },
  ];
  const accountIds = accounts.map(() => newId());
  await k.insertInto('users').values([
    user('admin', '系统管理员', 'admin', null), user('director1', '周建国', 'director', null), user('director2', '陈志强', 'director', null),
    user('manager1', '王伟', 'manager', team1), user('manager2', '李娜', 'manager', team1), user('manager3', '张敏', 'manager', team2),
    user('logistics', '刘洋', 'logistics', null), user('exec', '赵丽', 'executive', null),
    user(`dealer-${accounts[0]!.code.toLowerCase()}`, '恒达门户', 'dealer', null, accountIds[0]!),
  ]).execute();
  await k.updateTable('teams').set({ director_id: u.director1! }).where('id', '=', team1).execute();
  await k.updateTable('teams').set({ director_id: u.director2! }).where('id', '=', team2).execute();
  await k.insertInto('accounts').values(accounts.map((a, i) => ({
    id: accountIds[i]!, code: a.code, name: a.name, name_en: a.en, kind: a.kind, parent_id: null, owner_id: u[a.owner]!, territory_id: territories[a.territory],
    province: a.province, city: a.city, tier: a.tier, status: i === 3 ? 'dormant' : 'active', currency: 'CNY', created_at: at, updated_at: at, version: 1,
  }))).execute();
  await k.insertInto('account_team').values([
    { account_id: accountIds[0]!, user_id: u.manager2!, role: 'support' },
    { account_id: accountIds[0]!, user_id: u.logistics!, role: 'logistics' },
    { account_id: accountIds[4]!, user_id: u.manager1!, role: 'support' },
  ]).execute();
  const productId = newId();
  await k.insertInto('products').values({ id: productId, sku: 'CEM-425-50', name_en: 'Portland cement 42.5, 50 kg', name_zh: '42.5 级硅酸盐水泥 50 公斤', unit: '袋', pack_size: 1, category: 'cement', created_at: at, updated_at: at, version: 1 }).execute();
  const contacts = ['陈', '林', '黄', '吴', '郑', '孙', '马', '胡', '郭'];
  const roles = ['decision_maker', 'buyer', 'influencer'];
  let line = 0;
  for (const [i, a] of accounts.entries()) {
    const id = accountIds[i]!;
    const siteKinds = ['warehouse', 'store', 'office'];
    const sites = i === 0 ? 3 : 1 + (i % 2);
    for (let s = 0; s < sites; s++) {
      await k.insertInto('sites').values({
        id: newId(), account_id: id, name: `${a.city.replace(/市|新区$/, '')}${['一号仓', '旗舰店', '办事处'][s]}`, kind: siteKinds[s]!, address: `${a.city}工业大道 ${18 + s * 6} 号`,
        city: a.city, province: a.province, lat: a.lat + s * 0.09, lng: a.lng - s * 0.11, opening_hours: null, created_at: at, updated_at: at, version: 1,
      }).execute();
    }
    for (let c = 0; c < 2; c++) {
      const bday = new Date(now.getTime() + (i * 4 + c * 40) * 86_400_000);
      await k.insertInto('contacts').values({
        id: newId(), account_id: id, name: `${contacts[(i + c) % contacts.length]}${['总', '经理'][c]}`, name_en: null, title: ['总经理', '采购经理'][c]!,
        decision_role: roles[(i + c) % roles.length]!, influence: 5 - c, birthday: `1975-${String(bday.getUTCMonth() + 1).padStart(2, '0')}-${String(bday.getUTCDate()).padStart(2, '0')}`,
        preferred_channel: c === 0 ? 'wechat' : 'phone', phone: `1380571${String(1000 + i * 10 + c)}`, email: null, notes: null, created_at: at, updated_at: at, version: 1,
      }).execute();
    }
    const visits = i % 3 === 1 ? [-45] : [-3 - i, -20 - i];
    for (const [j, d] of visits.entries()) {
      await k.insertInto('activities').values({
        id: newId(), account_id: id, user_id: u[a.owner]!, kind: j === 0 ? 'visit' : 'meeting', starts_at: dayIso(d), duration_minutes: 60 + j * 30,
        subject: j === 0 ? '季度业务回顾' : '新品推介会', notes: j === 0 ? '讨论了明年的采购计划和返利政策。' : null, created_at: at, updated_at: at, version: 1,
      }).execute();
    }
    for (let m = 0; m < 12; m++) {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 10));
      await k.insertInto('sales_lines').values({
        doc_no: `SO-${i}-${m}`, line_no: 1, date: d.toISOString().slice(0, 10), account_id: id, product_id: productId, quantity: 100 + m * 7,
        net_amount_minor: (a.tier === 'A' ? 480_000_00 : a.tier === 'B' ? 160_000_00 : 50_000_00) + ((m * 37 + i * 11) % 9) * 12_000_00, cost_amount_minor: null, currency: 'CNY', created_at: at, updated_at: at,
      }).execute();
      line++;
    }
  }
}
