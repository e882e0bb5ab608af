/** Splits `--name value` / `--flag` options from positional arguments. */
export function parseArgs(args: string[]): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) options[k] = v;
      else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) options[k] = args[++i]!;
      else options[k] = true;
    } else positional.push(a);
  }
  return { positional, options };
}
