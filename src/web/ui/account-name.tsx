import { Text } from '@mantine/core';
import { type AccountRef, type Named, useNames } from '../names.js';

/**
 * An account's (or contact's) name by the one rule of ../names.ts: the English name in English
 * when there is one, else the stored name. With `secondary`, the stored name follows it, small and
 * dimmed, where a page has room; `block` puts it on a line of its own.
 */
export function AccountName({ account, secondary = false, block = false }: { account: Named | AccountRef; secondary?: boolean; block?: boolean }) {
  const n = useNames();
  const other = secondary ? n.secondary(account) : null;
  return (
    <>
      {n.primary(account)}
      {other && (
        <Text component="span" lang="zh-CN" size="xs" c="dimmed" fw={400} display={block ? 'block' : undefined} ml={block ? 0 : 6} data-testid="name-secondary">
          {other}
        </Text>
      )}
    </>
  );
}
