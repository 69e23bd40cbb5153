// Parsing of cell values as they appear in the returns: dd/mm/yyyy (SSDA903), ISO (CIN census),
// Excel serial numbers and JS Dates (Annex A), yes/no in many spellings, and Annex A's lettered
// options ("a) Male", "q) 6: Police", "E1: Placement order").

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function validYmd(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1) return null; // 31/02 and the like
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' (optionally followed by a time) → ISO date, or null if not a real date. */
export function parseIsoDate(text: string): string | null {
  const m = ISO.exec(text.trim().slice(0, 10));
  return m ? validYmd(+m[1], +m[2], +m[3]) : null;
}

/** 'dd/mm/yyyy' → ISO date, or null if not a real date. */
export function parseUkDate(text: string): string | null {
  const m = UK.exec(text.trim());
  return m ? validYmd(+m[3], +m[2], +m[1]) : null;
}

/** Excel's 1900 date system serial (25569 = 1970-01-01) → ISO date. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1) return null;
  const d = new Date(Math.round((Math.floor(serial) - 25569) * 86400000));
  return validYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Any of the date spellings found in the returns → ISO date, or null. */
export function parseAnyDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : validYmd(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return excelSerialToIso(value);
  const text = String(value).trim();
  return parseIsoDate(text) ?? parseUkDate(text) ?? (/^\d+(\.\d+)?$/.test(text) ? excelSerialToIso(Number(text)) : null);
}

/** Strips Annex A's option letter: "a) Male" → "Male", "q) 6: Police" → "6: Police". */
export function stripOptionLetter(text: string): string {
  return text.replace(/^\s*[a-z]{1,2}\)\s*/i, '').trim();
}

/** The code at the front of a coded value: "q) 6: Police" → "6", "E1: Placement order" → "E1", "N1 - Abuse" → "N1". */
export function leadingCode(text: string): string {
  const s = stripOptionLetter(text);
  const m = /^([A-Za-z0-9]+)\s*(?::|-|–)\s+/.exec(s);
  return m ? m[1] : s;
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'f']);

/** 1/0, true/false, Yes/No, Y/N, "a) Yes" → boolean; anything else → undefined (invalid), blank → null. */
export function parseBool(value: unknown): boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  const s = stripOptionLetter(String(value)).toLowerCase();
  if (s === '') return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}
