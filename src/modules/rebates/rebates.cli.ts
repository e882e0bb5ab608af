/**
 * `npm run openkam -- rebate:calc FILE`
 *   FILE (or - for standard input) holds one agreement's terms and a basis as JSON:
 *   {"method": "retroactive" | "incremental" | "growth" | "per-unit", "basis": 380000,
 *    "reference": 300000, "tiers": [{"from": 0, "ratePercent": 10}, {"from": 10000, "ratePercent": 20}],
 *    "minimumBasis": 0, "capMinor": null}
 *   Amounts and thresholds in integer minor units (per-unit: quantities, and the tier's
 *   rate is minor units per unit, as `perUnitMinor` or `ratePercent`). Each tier runs from its
 *   `from` up to the next tier's `from` (half-open). `reference` is needed for growth.
 *   Prints {"rebateMinor", "tierIndex", "bands"} as JSON; tierIndex is -1 below the first tier.
 *   Rounding: the exact total is rounded half-up to minor units once (see rebates.domain.ts).
 * Bad terms (overlapping or unordered tiers, negative rates, …): one line with the reason, exit 2.
 */
import { defaultIo, type Io, readJsonArg, UsageError } from '../../cli/io.js';
import { calcRebate, parseTerms, RebateTermsError } from './rebates.domain.js';

const USAGE = 'usage: rebate:calc FILE   (JSON: {"method": "retroactive", "basis": 380000, "tiers": [{"from": 0, "ratePercent": 10}, …]}; - reads standard input)';

/** CLI entry point of the rebates module. Returns the exit code. */
export async function run(command: string, args: string[], io: Io = defaultIo): Promise<number> {
  try {
    if (command === 'rebate:calc') return await rebateCalc(args, io);
    io.stderr(`unknown rebates command: ${command}\n`);
    return 2;
  } catch (e) {
    if (e instanceof UsageError || e instanceof RebateTermsError) {
      io.stderr(`${command}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function rebateCalc(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `missing FILE; ${USAGE}` : `one FILE at a time; ${USAGE}`);
  const file = args[0]!;
  const json = await readJsonArg(file, io);
  const terms = parseTerms(json);
  const o = json as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isSafeInteger(o.basis)) problems.push(`basis: must be a whole number (minor units${terms.method === 'per-unit' ? ' or units' : ''}), got ${JSON.stringify(o.basis)}`);
  const ref = o.reference ?? null;
  if (ref !== null && !Number.isSafeInteger(ref)) problems.push(`reference: must be a whole number or null, got ${JSON.stringify(ref)}`);
  if (terms.method === 'growth' && ref === null) problems.push('reference: growth terms need the reference period\'s basis');
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const result = calcRebate(terms, o.basis as number, ref as number | null);
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
