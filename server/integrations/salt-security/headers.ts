// The integration's optional custom headers ("name: value" per line), validated before any request is made.

/** Headers Postura sets itself or that HTTP forbids a caller to set. */
const RESERVED_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "host",
  "user-agent",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export class CustomHeadersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomHeadersError";
  }
}

function checkHeader(name: string, value: string, where: string): void {
  if (!TOKEN.test(name)) {
    throw new CustomHeadersError(`${where}: "${name}" is not a valid header name (letters, digits and - only).`);
  }
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new CustomHeadersError(
      `${where}: the ${name} header is set by Postura and cannot be overridden${
        name.toLowerCase() === "authorization" ? " (paste the API key in its own field)" : ""
      }.`,
    );
  }
  if (value === "") throw new CustomHeadersError(`${where}: the ${name} header has no value.`);
  // fetch refuses CR, LF and NUL, and characters outside Latin-1 cannot be sent in a header.
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0 || code === 10 || code === 13 || code > 0xff) {
      throw new CustomHeadersError(`${where}: the value of ${name} contains a character that cannot be sent in a header.`);
    }
  }
}

/**
 * Parses "name: value" lines (blank lines and lines starting with # are skipped). Names are unique regardless of
 * case; values are trimmed. Throws CustomHeadersError with the line number of the first problem.
 */
export function parseCustomHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `Line ${index + 1}`;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new CustomHeadersError(`${where}: expected "name: value", got "${line.slice(0, 60)}".`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    checkHeader(name, value, where);
    if (seen.has(name.toLowerCase())) throw new CustomHeadersError(`${where}: the ${name} header is given twice.`);
    seen.add(name.toLowerCase());
    headers[name] = value;
  });
  return headers;
}

/** Validates headers given as an object (as stored), with the same rules as parseCustomHeaders. */
export function validateCustomHeaders(headers: Record<string, string>): Record<string, string> {
  const seen = new Set<string>();
  const out: Record<string, string> = {};
  for (const [name, rawValue] of Object.entries(headers)) {
    const value = rawValue.trim();
    checkHeader(name, value, `Header ${name}`);
    if (seen.has(name.toLowerCase())) throw new CustomHeadersError(`The ${name} header is given twice.`);
    seen.add(name.toLowerCase());
    out[name] = value;
  }
  return out;
}
