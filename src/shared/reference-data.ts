import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Folder of the shared reference data (routing instances, CAP fixtures, M3 series…).
 * One setting for tests and benchmarks: OPENKAM_REFERENCE_DATA, default ../shared/data.
 */
export const referenceDataDir = path.resolve(
  projectRoot,
  process.env.OPENKAM_REFERENCE_DATA ?? '../shared/data',
);

/** True when the reference data folder is present (CI has it; a user's clone may not). */
export const hasReferenceData = existsSync(referenceDataDir);

/** Absolute path of a file inside the reference data folder. */
export function referencePath(...parts: string[]): string {
  return path.join(referenceDataDir, ...parts);
}

/** Message a skipped test or benchmark prints when the reference data is missing. */
export const referenceDataMissing = `reference data not found at ${referenceDataDir} (set OPENKAM_REFERENCE_DATA): skipped`;
