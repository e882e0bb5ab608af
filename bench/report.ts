import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/benchmarks.md');

/** One line describing the machine a benchmark ran on. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/**
 * Replaces (or appends) the section of docs/benchmarks.md between the markers of `name`,
 * so each benchmark owns its own section and reruns do not pile up.
 */
export function writeBenchmarkSection(name: string, command: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const body = [
    start,
    `## ${name}`,
    '',
    `Command: \`${command}\`  `,
    `Machine: ${machineLine()}  `,
    `Run: ${new Date().toISOString()}`,
    '',
    markdown.trim(),
    end,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nEach section is rewritten by its benchmark script.\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + body + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${body}\n`;
  writeFileSync(file, text);
}
