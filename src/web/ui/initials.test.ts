import { describe, expect, it } from 'vitest';
import { initials } from './initials.js';

describe('avatar initials', () => {
  it('takes the given name of a Chinese name, leaving out the company in brackets', () => {
    expect(initials('何晓燕（宏达）')).toBe('晓燕');
    expect(initials('钟平(永固)')).toBe('钟平');
    expect(initials('曾军')).toBe('曾军');
  });
  it('takes the first letters of the first two words, never punctuation', () => {
    expect(initials('Anna Schmidt')).toBe('AS');
    expect(initials('Li Wei (Hongda)')).toBe('LW');
    expect(initials('  "Pat", O\'Brien ')).toBe('PO');
    expect(initials('(Hongda)')).toBe('H');
    expect(initials('')).toBe('');
  });
});
