/**
 * Builds src/modules/delivery/data/typhoon-climatology.json, the typhoon climatology the mode
 * planner ships with, from the JTWC best tracks in the shared reference data
 * (hazard/climatology/JTWC_raw.parquet). The product never reads the raw file.
 *
 * Run:  npm run build:climatology   (OPENKAM_REFERENCE_DATA for another folder)
 */
import { statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildClimatologyTable } from '../src/modules/delivery/climate.build.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';

if (!hasReferenceData) {
  process.stderr.write(`${referenceDataMissing}\n`);
  process.exit(1);
}
const { text, stats, years } = await buildClimatologyTable(referencePath('hazard', 'climatology', 'JTWC_raw.parquet'));
const out = fileURLToPath(new URL('../src/modules/delivery/data/typhoon-climatology.json', import.meta.url));
writeFileSync(out, text);
process.stdout.write(`${out}: ${stats.storms} storms, ${stats.kept} of ${stats.fixes} fixes (${stats.rows} rows), ${years[0]}–${years[1]}, ${(statSync(out).size / 1024).toFixed(0)} KiB\n`);
