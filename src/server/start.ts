/**
 * `npm start`: builds the web app on first run (when dist/web/index.html is missing), then starts
 * the server. The build runs in a child process so its memory is returned before the server starts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const indexHtml = path.join(root, 'dist/web/index.html');

function buildWeb(): Promise<void> {
  const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  process.stdout.write('OpenKAM: building the web app (first start only)…\n');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
    let tail = '';
    const progress = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      // Vite's own lines ("transforming…", "✓ N modules transformed", chunk sizes) are the progress.
      for (const line of text.split('\n')) if (line.trim() && !/^dist\/web\/assets\//.test(line.trim())) process.stdout.write(`  ${line.trim()}\n`);
    };
    child.stdout.on('data', progress);
    child.stderr.on('data', progress);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && existsSync(indexHtml)) {
        process.stdout.write(`OpenKAM: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        resolve();
      } else reject(new Error(`vite build failed (exit ${code}):\n${tail}`));
    });
  });
}

if (!existsSync(indexHtml) || process.argv.includes('--rebuild-web')) {
  try {
    await buildWeb();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
await import('./main.js');
