// Spreadsheet formula injection (CWE-1236; OWASP "CSV Injection"): a cell whose text begins with = + - @,
// a tab or a carriage return can be run as a formula when an export is opened in Excel or LibreOffice
// (=HYPERLINK to leak data, =cmd|… through DDE). Every CSV and Excel export passes its text cells through
// formulaSafe, which puts an apostrophe in front: spreadsheets show the text as written and run nothing.
//
// Also neutralised: the full-width forms ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheet
// and IME set-ups turn into their ASCII forms, and any of these after leading spaces or line breaks (a
// spreadsheet may trim them on import). The cost is an apostrophe on the rare honest value that starts that
// way ('-', '+44 …'), which is cheap beside a formula run on an analyst's machine. Numbers are not text and
// are left alone (-3 stays a number).

const TRIGGER = /^[\s\u00a0\u3000]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/** Text a spreadsheet would read as a formula, with an apostrophe in front; any other text unchanged. */
export function formulaSafe(text: string): string {
  return TRIGGER.test(text) ? `'${text}` : text;
}

/** A cell for a CSV or workbook: text made formula-safe; numbers, booleans, dates and blanks as they are. */
export function formulaSafeCell<T>(value: T): T | string {
  return typeof value === 'string' ? formulaSafe(value) : value;
}
