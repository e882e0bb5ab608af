/**
 * `npm run openkam -- price:quote FILE`
 *   FILE is JSON: {"mode": "all-units" | "graduated", "quantity": 250,
 *   "breaks": [{"from": 0, "unitPriceMinor": 1000}, {"from": 100, "unitPriceMinor": 900}]}.
 *   Prints the quote as JSON: {"totalMinor", "unitPriceMinor", "breakIndex", "bands": [...]}
 *   (rounding: see pricing.domain.ts). Bad terms (unordered or overlapping breaks, negative or
 *   fractional prices, a quantity below the minimum) or bad JSON: one line with the reason, exit 2.
 */
import { defaultIo, type Io, readJsonArg, UsageError } from '../../cli/io.js';
import { type BreakMode, breakModes, type PriceBreak, quote } from './pricing.domain.js';

const USAGE = 'usage: price:quote FILE   (JSON: {"mode": "all-units"|"graduated", "quantity": N, "breaks": [{"from": N, "unitPriceMinor": N}, …]})';

/** CLI entry point of the pricing module. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  if (command !== 'price:quote') { io.stderr(`unknown pricing command: ${command}\n`); return 2; }
  if (args[0] === '--help' || args[0] === '-h') { io.stdout(`${USAGE}\n`); return 0; }
  if (args.length !== 1) { io.stderr(`price:quote: ${USAGE}\n`); return 2; }
  try {
    const terms = parseTerms(await readJsonArg(args[0]!, io));
    const r = quote(terms.breaks, terms.mode, terms.quantity);
    if (!r.ok) throw new UsageError(r.reason);
    io.stdout(`${JSON.stringify(r.quote)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) { io.stderr(`price:quote: ${e.message}\n`); return 2; }
    throw e;
  }
}

/** The terms of the file, or a UsageError naming the field that is wrong. */
function parseTerms(v: unknown): { mode: BreakMode; quantity: number; breaks: PriceBreak[] } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError('the file must hold a JSON object with mode, quantity and breaks');
  const o = v as Record<string, unknown>;
  if (!breakModes.includes(o.mode as BreakMode)) throw new UsageError(`mode must be "all-units" or "graduated" (got ${JSON.stringify(o.mode ?? null)})`);
  if (typeof o.quantity !== 'number') throw new UsageError('quantity must be a number');
  if (!Array.isArray(o.breaks)) throw new UsageError('breaks must be an array of {"from", "unitPriceMinor"}');
  const breaks = o.breaks.map((b: unknown, i): PriceBreak => {
    if (typeof b !== 'object' || b === null) throw new UsageError(`breaks[${i}] must be an object {"from", "unitPriceMinor"}`);
    const x = b as Record<string, unknown>;
    if (typeof x.from !== 'number') throw new UsageError(`breaks[${i}].from must be a number`);
    if (typeof x.unitPriceMinor !== 'number') throw new UsageError(`breaks[${i}].unitPriceMinor must be a number`);
    return { from: x.from, unitPriceMinor: x.unitPriceMinor };
  });
  return { mode: o.mode as BreakMode, quantity: o.quantity, breaks };
}
