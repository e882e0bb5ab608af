/** `npm run bench`: runs every benchmark script in bench/ in turn (each writes its section of docs/benchmarks.md). */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts') && !['run-all.ts', 'report.ts'].includes(f) && !f.includes('.lib.'));
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n== bench/${script}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, script), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
