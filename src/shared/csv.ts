import { stringify } from 'csv-stringify/sync';

/** What a spreadsheet may run as a formula when a cell starts with it (OWASP CSV injection). */
const formulaStart = /^[=+\-@\t\r]/;
/** A plain decimal number (thousands separators or not): a spreadsheet reads it as a number, never a formula. */
const plainNumber = /^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/**
 * Text as a spreadsheet should show it: a leading apostrophe when it starts with = + - @, tab or
 * carriage return, so Excel, LibreOffice and Google Sheets take it as text rather than a formula.
 * A negative number (`-12.50`) is not a formula and stays as it is, so it still reads as a number.
 */
export function spreadsheetText(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}

export type CsvCell = string | number | boolean | null | undefined;
export type CsvOptions = {
  /** A UTF-8 byte-order mark first, so Excel opens Chinese text correctly. */
  bom?: boolean;
  recordDelimiter?: 'unix' | 'windows';
};

/**
 * The one CSV writer of OpenKAM: every file, download and command-line output that is CSV goes
 * through it, so every text cell is neutralised the same way. Numbers are written as numbers.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[], o: CsvOptions = {}): string {
  const text = stringify(rows as CsvCell[][], { record_delimiter: o.recordDelimiter ?? 'unix', cast: { string: spreadsheetText } });
  return o.bom ? `\uFEFF${text}` : text;
}
