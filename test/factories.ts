import type { Db } from '../src/db/database.js';
import { hashPassword } from '../src/modules/auth/auth.tokens.js';
import type { Role } from '../src/modules/auth/auth.domain.js';
import { newId } from '../src/shared/ids.js';

export const PASSWORD = 'test-password-1';
let hashed: Promise<string> | undefined;

const NOW = '2026-11-01T00:00:00.000Z';

/**
 * A small world with known visibility:
 * team1 (director d1): m1, m2 · team2 (director d2): m3.
 * acc1 owned by m1 · acc2 owned by m2 with m1 on its account team · acc3 owned by m3 · acc4 unowned.
 * The dealer user belongs to acc1. Each account has one contact, one site and one activity.
 */
export async function seedWorld(db: Db) {
  hashed ??= hashPassword(PASSWORD);
  const hash = await hashed;
  const k = db.kysely;
  const team1 = newId();
  const team2 = newId();
  const territory = newId();
  const ids: Record<string, string> = {};
  const user = (key: string, role: Role, teamId: string | null, accountId: string | null = null, department: string | null = role === 'logistics' ? 'logistics' : null) => {
    ids[key] = newId();
    return {
      id: ids[key]!, email: `${key}@test.local`, name: `User ${key}`, role, password_hash: hash, locale: 'en', time_zone: 'Asia/Shanghai',
      team_id: teamId, account_id: accountId, department, active: 1, created_at: NOW, updated_at: NOW, version: 1,
    };
  };
  await k.insertInto('territories').values({ id: territory, code: 'EAST', name: 'East China', name_zh: '华东', created_at: NOW }).execute();
  await k.insertInto('teams').values([
    { id: team1, name: 'Team 1', director_id: null, territory_id: territory, created_at: NOW, updated_at: NOW, version: 1 },
    { id: team2, name: 'Team 2', director_id: null, territory_id: null, created_at: NOW, updated_at: NOW, version: 1 },
  ]).execute();
  const accountIds = { acc1: newId(), acc2: newId(), acc3: newId(), acc4: newId() };
  await k.insertInto('users').values([
    user('admin', 'admin', null), user('d1', 'director', null), user('d2', 'director', null),
    user('m1', 'manager', team1), user('m2', 'manager', team1), user('m3', 'manager', team2),
    user('logistics', 'logistics', null), user('exec', 'executive', null), user('dealer', 'dealer', null, accountIds.acc1),
    user('quality', 'service', null, null, 'quality'),
  ]).execute();
  await k.updateTable('teams').set({ director_id: ids.d1! }).where('id', '=', team1).execute();
  await k.updateTable('teams').set({ director_id: ids.d2! }).where('id', '=', team2).execute();
  const account = (key: keyof typeof accountIds, ownerKey: string | null, n: number) => ({
    id: accountIds[key], code: `ACC${n}`, name: `Account ${n}`, name_en: `Account ${n}`, kind: 'dealer', parent_id: null,
    owner_id: ownerKey ? ids[ownerKey]! : null, territory_id: territory, province: '浙江省', city: '台州市', tier: n === 1 ? 'A' : 'B',
    status: 'active', currency: 'CNY', created_at: NOW, updated_at: NOW, version: 1,
  });
  await k.insertInto('accounts').values([account('acc1', 'm1', 1), account('acc2', 'm2', 2), account('acc3', 'm3', 3), account('acc4', null, 4)]).execute();
  await k.insertInto('account_team').values({ account_id: accountIds.acc2, user_id: ids.m1!, role: 'support' }).execute();
  const records: Record<string, { contact: string; site: string; activity: string }> = {};
  for (const [key, accountId] of Object.entries(accountIds)) {
    const r = { contact: newId(), site: newId(), activity: newId() };
    records[key] = r;
    await k.insertInto('contacts').values({
      id: r.contact, account_id: accountId, name: `Contact of ${key}`, name_en: null, title: 'Owner', decision_role: 'decision_maker', influence: 5,
      birthday: '1970-03-14', preferred_channel: 'wechat', phone: null, email: null, notes: null, created_at: NOW, updated_at: NOW, version: 1,
    }).execute();
    await k.insertInto('sites').values({
      id: r.site, account_id: accountId, name: `Warehouse of ${key}`, kind: 'warehouse', address: null, city: '台州市', province: '浙江省',
      lat: 28.37, lng: 121.36, opening_hours: null, created_at: NOW, updated_at: NOW, version: 1,
    }).execute();
    await k.insertInto('activities').values({
      id: r.activity, account_id: accountId, user_id: ids.m1!, kind: 'visit', starts_at: '2026-10-01T02:00:00.000Z', duration_minutes: 60,
      subject: `Visit ${key}`, notes: null, created_at: NOW, updated_at: NOW, version: 1,
    }).execute();
  }
  const product = newId();
  await k.insertInto('products').values({
    id: product, sku: 'PO425-B50', name_en: 'P.O 42.5 cement, 50 kg bag', name_zh: 'P.O 42.5 水泥 50公斤袋', unit: 'bag', pack_size: 1, category: 'cement',
    created_at: NOW, updated_at: NOW, version: 1,
  }).execute();
  return { users: ids, accounts: accountIds, records, teams: { team1, team2 }, territory, product };
}
export type World = Awaited<ReturnType<typeof seedWorld>>;
