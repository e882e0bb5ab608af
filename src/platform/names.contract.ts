import { z } from 'zod';

/**
 * How an answer names an account, in one shape for every module: the name as stored (usually
 * Chinese, `accounts.name`) and the English name (`accounts.name_en`), null when it has none. The
 * web app picks one by the reader's language (`src/web/names.ts`); a server never chooses.
 */
export const AccountNameEn = z.string().nullable().describe("The account's English name; null when it has none (show the stored name)");

/** For an object that refers to an account: spread into it beside `accountId`. */
export const accountNames = {
  accountName: z.string().describe("The account's name as stored (usually Chinese)"),
  accountNameEn: AccountNameEn,
};

/** For an object that is an account itself (a row of a list of accounts). */
export const ownNames = {
  name: z.string().describe("The account's name as stored (usually Chinese)"),
  nameEn: AccountNameEn,
};
