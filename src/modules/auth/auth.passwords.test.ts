import { describe, expect, it } from 'vitest';
import { passwordProblem } from './auth.passwords.js';

describe('password rule', () => {
  it('accepts a passphrase with spaces, and refuses the common list in any case', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('  padded but fine  ')).toBeNull();
    for (const pw of ['password123', 'PASSWORD123', 'QwErTyUiOp', '1234567890', 'HarryPotter']) {
      expect(passwordProblem(pw), pw).toMatch(/most common/);
    }
    expect(passwordProblem('\u00a0'.repeat(12))).toMatch(/only spaces/);
    expect(passwordProblem('x'.repeat(201))).toMatch(/at most 200/);
  });
});
