// An integration's optional custom headers ("name: value" per line), validated before any request is made. Each client
// adds the headers it sets itself (its key header, an idempotency key) to the names a user may not override.

/** Headers every client sets itself or that HTTP forbids a caller to set. */
const RESERVED_HEADERS = [
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
];

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export class CustomHeadersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomHeadersError";
  }
}

export interface CustomHeaderRules {
  /** Names the client sets itself, on top of the shared list (any case). */
  reserved?: readonly string[];
  /** Reserved names that carry the API key: overriding one is answered with where the key goes instead. */
  keyHeaders?: readonly string[];
}

/**
 * fetch refuses CR, LF and NUL, characters outside Latin-1, and other control characters (tab aside): the last pass
 * the Headers check but fail the send as a network error ("fetch failed"), which would look like an unreachable vendor.
 */
function cannotBeSent(value: string): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code > 0xff) return true;
  }
  return false;
}

function checker(rules: CustomHeaderRules) {
  const reserved = new Set([...RESERVED_HEADERS, ...(rules.reserved ?? [])].map((name) => name.toLowerCase()));
  const keyHeaders = new Set(["authorization", ...(rules.keyHeaders ?? [])].map((name) => name.toLowerCase()));
  return (name: string, value: string, where: string): void => {
    if (!TOKEN.test(name)) {
      throw new CustomHeadersError(`${where}: "${name}" is not a valid header name (letters, digits and - only).`);
    }
    if (reserved.has(name.toLowerCase())) {
      throw new CustomHeadersError(
        `${where}: the ${name} header is set by Postura and cannot be overridden${
          keyHeaders.has(name.toLowerCase()) ? " (paste the API key in its own field)" : ""
        }.`,
      );
    }
    if (value === "") throw new CustomHeadersError(`${where}: the ${name} header has no value.`);
    if (cannotBeSent(value)) {
      throw new CustomHeadersError(`${where}: the value of ${name} contains a character that cannot be sent in a header.`);
    }
  };
}

/**
 * Parses "name: value" lines (blank lines and lines starting with # are skipped). Names are unique regardless of
 * case; values are trimmed. Throws CustomHeadersError with the line number of the first problem.
 */
export function parseCustomHeaders(text: string, rules: CustomHeaderRules = {}): Record<string, string> {
  const checkHeader = checker(rules);
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

/** Validates headers given as an object (as stored, so not trusted to be strings), with the same rules. */
export function validateCustomHeaders(headers: Record<string, string>, rules: CustomHeaderRules = {}): Record<string, string> {
  if (typeof headers !== "object" || headers === null) throw new CustomHeadersError("Custom headers must be name: value pairs.");
  const checkHeader = checker(rules);
  const seen = new Set<string>();
  const out: Record<string, string> = {};
  for (const [name, rawValue] of Object.entries(headers)) {
    if (typeof rawValue !== "string") throw new CustomHeadersError("Every custom header needs a text value.");
    const value = rawValue.trim();
    checkHeader(name, value, `Header ${name}`);
    if (seen.has(name.toLowerCase())) throw new CustomHeadersError(`The ${name} header is given twice.`);
    seen.add(name.toLowerCase());
    out[name] = value;
  }
  return out;
}

/** For logs: names kept, every value replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, "[redacted]"]));
}
