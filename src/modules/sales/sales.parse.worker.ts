/**
 * Worker thread entry: reads the file given in workerData (a ParseSpec) and posts its events to
 * the importing thread, a few batches ahead at most (each batch posted takes a credit; the
 * importer gives one back per batch it takes), so memory stays flat whatever the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseSales, type ParseSpec, transferable } from './sales.parse.js';

const port = parentPort!;
let credits = 4;
let wake: (() => void) | null = null;
port.on('message', () => { credits++; wake?.(); wake = null; });

for await (const ev of parseSales(workerData as ParseSpec)) {
  port.postMessage(ev, transferable(ev));
  if (ev.type === 'batch' && --credits <= 0) await new Promise<void>((resolve) => { wake = resolve; });
}
