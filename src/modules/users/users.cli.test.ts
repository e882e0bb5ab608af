import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openkam-cli-'));

// On a SQLite file of its own, whatever database the environment names.
const { DATABASE_URL: _ignored, ...env } = process.env;
const userCreate = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'user:create', ...args], {
  cwd: root, encoding: 'utf8', env: { ...env, OPENKAM_DATA_DIR: dataDir },
});

describe('user:create', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses one of the 10,000 most common passwords, and a password of spaces', () => {
    const common = userCreate('--email', 'ada@example.com', '--name', 'Ada', '--role', 'admin', '--password', 'Qwertyuiop');
    expect(common.status, common.stderr).toBe(2);
    expect(common.stderr).toMatch(/--password: .*most common passwords/);
    const blank = userCreate('--email', 'ada@example.com', '--name', 'Ada', '--role', 'admin', '--password', ' '.repeat(16));
    expect(blank.status, blank.stderr).toBe(2);
    expect(blank.stderr).toMatch(/--password: .*only spaces/);
  });
});
