import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = path.resolve(webDir, '../modules');
/** The web folders of feature modules (src/modules/<feature>/web), which hold pages and their strings. */
const moduleWebDirs = readdirSync(modulesDir).map((m) => path.join(modulesDir, m, 'web')).filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } });
function moduleStrings(locale: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const dir of moduleWebDirs) {
    const file = path.join(dir, `i18n.${locale}.json`);
    try { Object.assign(merged, JSON.parse(readFileSync(file, 'utf8'))); } catch { /* the module has no strings */ }
  }
  return merged;
}
const allEn = { ...en, ...moduleStrings('en') };
const allZh = { ...zhCN, ...moduleStrings('zh-CN') };
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

function flatten(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** Keys without plural suffixes: `x_one` and `x_other` both count as `x`. */
const baseKeys = (keys: string[]) => new Set(keys.map((k) => k.replace(pluralSuffix, '')));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Literal keys passed to t('…'), and the prefixes of template keys t(`roles.${role}`). */
function keysUsedInSource(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of [webDir, ...moduleWebDirs].flatMap(sourceFiles)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) literal.add(m[1]!);
    // Keys named in feature registrations (nav entries, account tabs).
    for (const m of src.matchAll(/labelKey:\s*'([A-Za-z0-9_.-]+)'/g)) literal.add(m[1]!);
    for (const m of src.matchAll(/\bt\(\s*`([A-Za-z0-9_.-]+)\.\$\{/g)) prefixes.add(m[1]!);
    // Keys chosen by expression, e.g. t(mine ? 'home.myAccounts' : 'home.accountsInScope').
    for (const m of src.matchAll(/\bt\(([^()]*\?[^()]*)\)/g)) for (const k of m[1]!.matchAll(/'([a-z][A-Za-z0-9_]*\.[A-Za-z0-9_.-]+)'/g)) literal.add(k[1]!);
  }
  for (const file of sourceFiles(webDir)) {
    // Keys listed in lookup tables: `'errors.network'` style strings in ui/errors.ts.
    if (!file.endsWith(path.join('ui', 'errors.ts'))) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/'(errors\.[A-Za-z0-9_.]+)'/g)) literal.add(m[1]!);
  }
  return { literal, prefixes };
}

describe('translations', () => {
  const enKeys = baseKeys(flatten(allEn));
  const zhKeys = baseKeys(flatten(allZh));

  it('has every English key in Chinese', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('has every Chinese key in English', () => {
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('has no empty translation', () => {
    const empty = [...flatten(allEn).map((k) => ['en', k] as const), ...flatten(allZh).map((k) => ['zh-CN', k] as const)]
      .filter(([lang, k]) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], lang === 'en' ? allEn : allZh) === '');
    expect(empty).toEqual([]);
  });

  it("defines every key the source passes to t('…') in both languages", () => {
    const { literal } = keysUsedInSource();
    expect(literal.size).toBeGreaterThan(100);
    const missing = [...literal].flatMap((k) => [...(enKeys.has(k) ? [] : [`en: ${k}`]), ...(zhKeys.has(k) ? [] : [`zh-CN: ${k}`])]);
    expect(missing).toEqual([]);
  });

  it('defines the groups the source picks keys from at run time', () => {
    const { prefixes } = keysUsedInSource();
    const groups = (keys: Set<string>) => new Set([...keys].map((k) => k.split('.').slice(0, -1).join('.')));
    const missing = [...prefixes].filter((p) => !groups(enKeys).has(p) || !groups(zhKeys).has(p));
    expect(missing).toEqual([]);
  });
});
