import { readFileSync } from 'node:fs';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

let common: ReadonlySet<string> | undefined;

/** The 10,000 most common passwords, lower-cased (data/README.md says where they come from). */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./data/common-passwords-10k.txt', import.meta.url), 'utf8')
      .split('\n').map((l) => l.trim().toLowerCase()).filter(Boolean),
  );
  return common;
}

/**
 * Why a password someone chose may not be set, or null when it may: the one rule for every place a
 * password is set (the `Password` schema: sign-up by an admin, the CLI, a password change). Spaces
 * count, as ASVS asks (no trimming, no composition rules), but a password of spaces only is refused,
 * and so is one of the 10,000 most common, in any case and with spaces around it.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim() === '') return 'must not be only spaces';
  if (commonPasswords().has(password.trim().toLowerCase())) return 'is one of the 10,000 most common passwords; choose another';
  return null;
}
