// CSV for exports (RFC 4180): every field quoted when it needs it, lines ending CRLF. A cell that a spreadsheet
// would read as a formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe: the text comes from
// outside (a posture gap's name, say) and must open as text, not run (OWASP's CSV injection advice).

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = value instanceof Date ? value.toISOString() : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | Date | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
