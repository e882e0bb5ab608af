import { describe, expect, it } from 'vitest';
import { classifyStorageFailure } from './storage-errors.js';

const err = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe('classifyStorageFailure', () => {
  it('reads PostgreSQL, SQLite and socket failures as the reason a client is told', () => {
    expect(classifyStorageFailure(err('terminating connection due to administrator command', { code: '57P01' }))).toEqual({ reason: 'unreachable', cause: '57P01: terminating connection due to administrator command' });
    expect(classifyStorageFailure(err('Connection terminated unexpectedly'))?.reason).toBe('unreachable');
    expect(classifyStorageFailure(err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }))?.reason).toBe('unreachable');
    expect(classifyStorageFailure(err('cannot execute INSERT in a read-only transaction', { code: '25006' }))?.reason).toBe('read_only');
    expect(classifyStorageFailure(err('attempt to write a readonly database', { code: 'SQLITE_READONLY_DIRECTORY' }))?.reason).toBe('read_only');
    expect(classifyStorageFailure(err('database or disk is full', { code: 'SQLITE_FULL' }))?.reason).toBe('storage_full');
    expect(classifyStorageFailure(err('disk I/O error', { code: 'SQLITE_IOERR_WRITE' }))?.reason).toBe('io_error');
  });

  it('finds the database error under a wrapper, such as a failed migration', () => {
    const inner = err('attempt to write a readonly database', { code: 'SQLITE_READONLY' });
    expect(classifyStorageFailure(new Error('migration x failed', { cause: inner }))?.reason).toBe('read_only');
  });

  it('leaves bugs, constraint violations and other clients\' network errors alone', () => {
    expect(classifyStorageFailure(err('duplicate key value violates unique constraint', { code: '23505' }))).toBeNull();
    expect(classifyStorageFailure(err('UNIQUE constraint failed: users.email', { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
    expect(classifyStorageFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    // A CAP feed or webhook that cannot be reached is not the database.
    expect(classifyStorageFailure(new TypeError('fetch failed', { cause: err('connect ECONNREFUSED 10.0.0.1:443', { code: 'ECONNREFUSED' }) }))).toBeNull();
  });
});
