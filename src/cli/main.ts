/**
 * `npm run openkam -- <command> [args]`: one entry point; each module owns its commands.
 * A command module exports `run(command, args): Promise<number>` (the exit code).
 */
type CommandModule = { run(command: string, args: string[]): Promise<number> };
type Entry = { summary: string; load: () => Promise<CommandModule> };

const commands: Record<string, Entry> = {
  'user:create': { summary: 'create a user: --email --name --role [--password]', load: () => import('../modules/users/users.cli.js') },
  backup: { summary: 'consistent online backup: backup [FILE]', load: () => import('../db/backup.cli.js') },
  restore: { summary: 'restore a backup: restore FILE', load: () => import('../db/backup.cli.js') },
  forecast: { summary: 'forecast FILE --h 18 --frequency 12: forecasts as CSV', load: () => import('../modules/forecasting/forecasting.cli.js') },
  'routes:solve': { summary: 'routes:solve FILE [--time-limit S] [--seed N]: routes as JSON', load: () => import('../modules/routing/routing.cli.js') },
  'cap:parse': { summary: 'cap:parse FILE: the parsed CAP message as JSON (exit 2 if rejected)', load: () => import('../modules/hazards/hazards.cli.js') },
  'track:swath': { summary: 'track:swath FILE --kt 34: the swept area as GeoJSON', load: () => import('../modules/hazards/hazards.cli.js') },
  'hazard:match': { summary: 'hazard:match ALERTS SITES: each site\'s matches', load: () => import('../modules/hazards/hazards.cli.js') },
  import: { summary: 'import sales|accounts|products FILE [--mapping M] [--encoding gb18030] [--date-format F] [--dry-run]', load: () => import('../modules/sales/sales.cli.js') },
  segment: { summary: 'segment [--basis revenue|margin] [--from YYYY-MM] [--to YYYY-MM]: the ABC table as CSV', load: () => import('../modules/sales/sales.cli.js') },
  'sla:due': { summary: 'sla:due --from T --hours N --working "09:00-12:00,13:00-18:00" [--tz Z] [--calendar cn] [--paused FROM/TO]…: the due instant', load: () => import('../modules/services/services.cli.js') },
  'calendar:load': { summary: 'calendar:load FILE: add a holiday-cn year file to the China working calendar', load: () => import('../modules/services/services.cli.js') },
  'rebate:calc': { summary: 'rebate:calc FILE: one agreement\'s terms and basis (JSON) → {rebateMinor, tierIndex, bands} (exit 2 on bad terms)', load: () => import('../modules/rebates/rebates.cli.js') },
  'price:quote': { summary: 'price:quote FILE: the price of a quantity under quantity breaks (all-units or graduated) as JSON (exit 2 on bad terms)', load: () => import('../modules/pricing/pricing.cli.js') },
  otif: { summary: 'otif FILE --promised COL --delivered COL [--ordered-qty COL --delivered-qty COL] [--by COL] [--date-format dd-MMM-yy] [--early-days N --late-days N] [--calendar cn]: on time / in full per group as JSON', load: () => import('../modules/delivery/delivery.cli.js') },
  'otif-rebuild': { summary: 'otif-rebuild: recompute the OTIF cells from the stored lines (after calendar:load reloads China\'s holidays)', load: () => import('../modules/delivery/delivery.cli.js') },
  bgnbd: { summary: 'bgnbd FILE [--predict T]: BG/NBD fit of a frequency,recency,T CSV as JSON (--help for the output)', load: () => import('../modules/health/bgnbd.cli.js') },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const entry = command ? commands[command] : undefined;
  if (!entry) {
    const lines = Object.entries(commands).map(([name, e]) => `  ${name.padEnd(14)} ${e.summary}`);
    process.stderr.write(`${command ? `unknown command: ${command}\n` : ''}usage: npm run openkam -- <command>\n${lines.join('\n')}\n`);
    return command ? 2 : 0;
  }
  const mod = await entry.load();
  return mod.run(command!, args);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
