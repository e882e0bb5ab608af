/**
 * Nightly VMI thread entry (decision 037): drafts the batches of sites runNightly hands it, one
 * result per site, a few ahead of the taker at most (src/platform/bounded-worker.ts).
 */
import { serveTasks } from '../../platform/bounded-worker.js';
import { draftBatch, type NightlyResult, type NightlyTask } from './nightly.js';

serveTasks<NightlyTask, NightlyResult>(draftBatch);
