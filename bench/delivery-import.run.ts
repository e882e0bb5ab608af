/**
 * One shipment import in a process of its own (so /usr/bin/time's peak RSS is the import's):
 * `tsx bench/delivery-import.run.ts FILE DATA_DIR` runs the engine the API's background job runs
 * (every row validated, one transaction, idempotent by key) on DATA_DIR/openkam.sqlite, prints its outcome as JSON.
 */
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { systemActor } from '../src/modules/auth/auth.domain.js';
import { runShipmentImport } from '../src/modules/delivery/import.engine.js';
import { ShipmentImportOptions } from '../src/modules/delivery/import.contract.js';
import { loadConfig } from '../src/server/config.js';
import { newId } from '../src/shared/ids.js';
import { shipmentBenchMapping } from './delivery-import.lib.js';

const [file, dir] = process.argv.slice(2) as [string, string];
const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'openkam.sqlite') });
const config = loadConfig({ OPENKAM_DATA_DIR: dir, LOG_LEVEL: 'silent' });
const out = await runShipmentImport({ db, clock: { now: () => new Date() }, actor: systemActor('bench'), requestId: 'bench' }, {
  jobId: newId(), dataDir: dir, file, fileName: path.basename(file), format: 'csv', mapping: shipmentBenchMapping, options: ShipmentImportOptions.parse({ defaultCurrency: 'CNY' }), dryRun: false,
  errorsPath: path.join(dir, 'bench.errors.csv'), reading: config.fileReading,
}, new AbortController().signal, () => undefined);
process.stdout.write(`${JSON.stringify(out)}\n`);
await db.destroy();
process.exit(0);
