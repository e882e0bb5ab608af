/** U+0000: PostgreSQL's text types cannot hold it (SQLite can), so no text OpenKAM stores may contain it. */
export const NUL = '\u0000';

/** `s` with each U+0000 written out as the six characters `\u0000`: printable, and storable on PostgreSQL. */
export const spellNul = (s: string): string => (s.includes(NUL) ? s.replaceAll(NUL, '\\u0000') : s);

// Uploaded files arrive as buffers or streams: their readers check their own cells.
const isFile = (v: object): boolean => ArrayBuffer.isView(v) || v instanceof ArrayBuffer || typeof (v as { pipe?: unknown }).pipe === 'function';

/**
 * The dotted paths (under `root`, e.g. `body.contacts.0.name`) of every string, and every object
 * key, in a parsed request value (JSON body, query string, path parameters) that contains
 * U+0000; at most `max` of them.
 */
export function nulPaths(value: unknown, root: string, max = 20): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (out.length >= max) return;
    if (typeof v === 'string') {
      if (v.includes(NUL)) out.push(at);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${at}.${i}`));
    } else if (typeof v === 'object' && v !== null && !isFile(v)) {
      for (const [k, item] of Object.entries(v)) {
        // A key is named with its NUL spelled out, so the path stays printable.
        const path = `${at}.${spellNul(k)}`;
        if (k.includes(NUL)) { out.push(path); if (out.length >= max) return; }
        walk(item, path);
      }
    }
  };
  walk(value, root);
  return out;
}
