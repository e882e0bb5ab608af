/** Money in integer minor units plus an ISO 4217 currency code. Never floats. */
export type Money = { amountMinor: number; currency: string };

const minorDigits: Record<string, number> = { CNY: 2, USD: 2, EUR: 2, HKD: 2, JPY: 0, KRW: 0 };

/** Number of minor-unit digits of a currency (2 unless known otherwise). */
export const currencyDigits = (currency: string): number => minorDigits[currency] ?? 2;

/**
 * Parses a decimal amount text ("1,234.50", "-12.3", "1 234,50" is not accepted) into minor units,
 * exactly (no float arithmetic). Returns null when the text is not a valid amount.
 */
export function parseAmountToMinor(text: string, currency: string, thousandsSeparator = ','): number | null {
  const digits = currencyDigits(currency);
  let s = text.trim();
  if (thousandsSeparator) s = s.split(thousandsSeparator).join('');
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return null;
  const minor = Number(m[2]) * 10 ** digits + Number((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return m[1] === '-' ? -minor : minor;
}

/** Adds amounts of one currency; throws on mixed currencies. */
export function sumMoney(items: Money[], currency: string): Money {
  let total = 0;
  for (const m of items) {
    if (m.currency !== currency) throw new Error(`cannot add ${m.currency} to ${currency}`);
    total += m.amountMinor;
  }
  return { amountMinor: total, currency };
}
