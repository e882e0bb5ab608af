/**
 * Builds src/modules/services/data/holiday-cn.json, the China holiday table the SLA clock ships
 * with, from NateScarlet/holiday-cn's year files in the shared reference data
 * (calendar/holiday-cn/YYYY.json, MIT). Each year file is checked as `calendar:load` checks one,
 * and reduced to its dates: `off` (public holidays, weekend days included as listed) and `work`
 * (make-up working days, 调休). Years are keyed by the notice's year, so a year may list the
 * last days of the year before (the 2023 notice's 2022-12-31).
 *
 * Run:  npx tsx scripts/build-holiday-cn.ts   (OPENKAM_REFERENCE_DATA for another folder)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHolidayCnYear, type HolidayYear } from '../src/modules/services/work-calendar.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';

const SOURCE = 'https://github.com/NateScarlet/holiday-cn @ d4e53bf2143d (compiled from the State Council notices)';
const LICENCE = 'MIT, Copyright (c) 2019 NateScarlet; see data/README.md';

if (!hasReferenceData) {
  process.stderr.write(`${referenceDataMissing}\n`);
  process.exit(1);
}
const dir = referencePath('calendar', 'holiday-cn');
const years: Record<string, HolidayYear> = {};
for (const f of readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f)).sort()) {
  const y = parseHolidayCnYear(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  if (`${y.year}.json` !== f) throw new Error(`${f} holds year ${y.year}`);
  years[String(y.year)] = { off: y.off, work: y.work };
}
// One year a line: small, and a new year shows as one line in a diff.
const lines = Object.entries(years).map(([y, v]) => `    ${JSON.stringify(y)}: ${JSON.stringify(v)}`);
const text = `{\n  "source": ${JSON.stringify(SOURCE)},\n  "licence": ${JSON.stringify(LICENCE)},\n  "years": {\n${lines.join(',\n')}\n  }\n}\n`;
const out = fileURLToPath(new URL('../src/modules/services/data/holiday-cn.json', import.meta.url));
writeFileSync(out, text);
process.stdout.write(`${out}: ${Object.keys(years).length} years (${Object.keys(years)[0]}–${Object.keys(years).at(-1)})\n`);
