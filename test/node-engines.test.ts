import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

type PackageJson = { engines: { node: string } };
type LockEntry = { version?: string; engines?: { node?: string } | string[] };
type Lockfile = { packages: Record<string, LockEntry> };

const promised = (readJson('package.json') as PackageJson).engines.node;

/**
 * npm warns EBADENGINE for an installed package whose `engines.node` leaves out the running Node.
 * It checks only the Node it runs on; this checks the whole promise at once, so a dependency that
 * drops a promised Node version fails here on any machine, before a user on that version sees it.
 */
describe('Node versions', () => {
  it('installs only packages that support every Node version package.json promises', () => {
    const lock = readJson('package-lock.json') as Lockfile;
    const unsupported = Object.entries(lock.packages)
      .filter(([where]) => where !== '')
      .flatMap(([where, entry]) => {
        // An engines list (the pre-npm-3 form) is not checked by npm either.
        const wants = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
        if (wants === undefined || semver.subset(promised, wants)) return [];
        return [`${where.replace(/^(.*\/)?node_modules\//, '')}@${entry.version ?? '?'} wants node ${wants}`];
      });
    expect(unsupported).toEqual([]);
  });

  it('states in the README the Node versions that package.json promises', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const statements = readme.split('\n').filter((line) => /\bNode\b/.test(line));
    expect(statements.some((line) => line.includes(`\`${promised}\``)), `README lines naming Node versions: ${JSON.stringify(statements)}`).toBe(true);
  });
});
