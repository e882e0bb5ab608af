import { readFile } from 'node:fs/promises';

/** Where a module's command writes, and reads standard input from (tests pass their own). */
export type Io = { stdout: (s: string) => void; stderr: (s: string) => void; stdin?: () => Promise<string> };

export const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A mistake in the command line or its input: the command prints one line with it and exits 2. */
export class UsageError extends Error {}

/** The JSON in FILE (`-`: standard input; a byte-order mark is allowed), or a UsageError saying why not. */
export async function readJsonArg(file: string, io: Io): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await (io.stdin ?? defaultIo.stdin!)() : await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}
