import { describe, expect, it } from 'vitest';
import { nulPaths, spellNul } from './text.js';

describe('nulPaths', () => {
  it('names every string holding U+0000 by its dotted path, array elements by index', () => {
    expect(nulPaths({ name: 'ok', team: [{ role: 'a' }, { role: 'b\u0000' }], notes: { text: '\u0000' } }, 'body')).toEqual(['body.team.1.role', 'body.notes.text']);
    expect(nulPaths('x\u0000', 'params.token')).toEqual(['params.token']);
  });

  it('names a key holding U+0000 with the NUL written out', () => {
    expect(nulPaths({ 'a\u0000b': 'c\u0000' }, 'body')).toEqual(['body.a\\u0000b', 'body.a\\u0000b']);
  });

  it('finds nothing in clean values, numbers, nulls and uploaded bytes', () => {
    expect(nulPaths({ a: 'tab\tnew\nline 中文', b: 1, c: null, d: [true] }, 'body')).toEqual([]);
    expect(nulPaths(Buffer.from('a\u0000b'), 'body')).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(nulPaths(Array.from({ length: 100 }, () => '\u0000'), 'body', 3)).toEqual(['body.0', 'body.1', 'body.2']);
  });
});

describe('spellNul', () => {
  it('writes U+0000 out as \\u0000 and leaves other text alone', () => {
    expect(spellNul('INV\u00002')).toBe('INV\\u00002');
    expect(spellNul('INV-2')).toBe('INV-2');
  });
});
