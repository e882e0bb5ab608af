/**
 * The errors of reading an uploaded file, the same wherever it is read (upload, preview, import):
 * a file beyond a limit, and a file that is not what it claims to be. Both are 422 with a stable code;
 * the message says which limit or which line, and never echoes more than a short excerpt of the file.
 */
import { AppError } from '../../server/errors.js';

/** A number as the messages write it: 2,000,000. */
export const fmt = (n: number): string => n.toLocaleString('en-US');

/** Beyond a limit of the reader (or out of its memory). */
export const tooComplex = (why: string): AppError => new AppError('file_too_complex', 422, `The file is too large or too complex to read: ${why}`);

/** Not readable as what it claims to be: an unclosed quote, a damaged or forged zip. */
export const malformed = (why: string): AppError => new AppError('file_malformed', 422, `The file cannot be read: ${why}`);

/** Characters of a bad header echoed back. */
const EXCERPT = 80;

/** A first line that cannot be a header (a column name no mapping could name). */
export const badHeader = (column: number, name: string, max: number): AppError => new AppError('bad_header', 422,
  `The first line is not a header: column ${column} is ${fmt(name.length)} characters long (a column name has at most ${max}), starting «${name.slice(0, EXCERPT)}…»`);
