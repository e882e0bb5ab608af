/**
 * Reader thread entry: runs the read tasks of sales.parse.ts (a sales file validated into batches,
 * or plain rows for the header, the preview and the small imports), a few events ahead of the taker
 * at most, with a heap limit of its own (src/platform/bounded-worker.ts).
 */
import { serveTasks } from '../../platform/bounded-worker.js';
import { type ParseEvent, readTask, type ReadTask, type RowBatch, transferable } from './sales.parse.js';

serveTasks<ReadTask, ParseEvent | RowBatch>(readTask, (ev) => (ev.type === 'rows' ? [] : transferable(ev)));
