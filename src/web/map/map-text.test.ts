import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const webDirs = [path.join(root, 'src/web'), ...readdirSync(path.join(root, 'src/modules')).map((m) => path.join(root, 'src/modules', m, 'web'))];
const helper = path.join(root, 'src/web/map/map-text.ts');

function sources(dir: string): string[] {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

// Leaflet calls that render a string as HTML, and the DOM's own HTML sinks.
const htmlSinks = [/\.bindTooltip\(/, /\.bindPopup\(/, /\.set(?:Tooltip|Popup)?Content\(/, /\bL\.(?:popup|tooltip|divIcon)\(/, /\.addAttribution\(/, /\bhtml\s*:/,
  /\binnerHTML\b/, /\bouterHTML\b/, /insertAdjacentHTML/, /dangerouslySetInnerHTML/, /document\.write/];

describe('text on maps', () => {
  it('reaches Leaflet only through the text helpers of map-text.ts', () => {
    const files = webDirs.flatMap(sources).filter((f) => f !== helper);
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) =>
      htmlSinks.some((re) => re.test(line)) ? [`${path.relative(root, f)}:${i + 1}: ${line.trim()}`] : []));
    expect(found).toEqual([]);
  });
});
