import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Random secret as base64url text. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** SHA-256 hex: how session and API tokens are kept at rest (they are random, so no salt is needed). */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// argon2id with the OWASP-recommended minimum (19 MiB, t=2, p=1).
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });

export const verifyPassword = (hashText: string, password: string): Promise<boolean> =>
  verify(hashText, password).catch(() => false);

/** API tokens read `okm_<prefix>_<secret>`; the prefix finds the row, the secret is compared by hash. */
export function newApiToken(): { token: string; prefix: string; hash: string } {
  const prefix = randomToken(6);
  const secret = randomToken(24);
  const token = `okm_${prefix}_${secret}`;
  return { token, prefix, hash: sha256(token) };
}

export function parseApiToken(token: string): { prefix: string } | null {
  const m = /^okm_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{32})$/.exec(token);
  return m ? { prefix: m[1]! } : null;
}
