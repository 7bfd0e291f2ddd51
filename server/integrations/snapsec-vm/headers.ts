// Custom headers for Snapsec VM ("key: value" per line): Salt's rules (format, no CR/LF, no overriding Authorization,
// Host, Content-Length, ...) plus VM's own key header, with every failure as a typed SnapsecVmError.
import {
  CustomHeadersError,
  parseCustomHeaders,
  validateCustomHeaders,
} from "@/server/integrations/salt-security/headers";
import { API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER } from "./contract";
import { vmErrors } from "./errors";

/** Headers the VM client sets itself, on top of those the shared rules already refuse. */
const VM_OWN_HEADERS = [API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER, "accept"];

/**
 * Control characters other than tab pass the Headers check, but Node's fetch then refuses to send them ("fetch
 * failed", UND_ERR_INVALID_ARG), which would look like an unreachable VM: refuse them here, by name.
 */
function hasControlCharacter(value: string): boolean {
  return [...value].some((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x09) || code === 0x7f;
  });
}

function checkVmRules(headers: Record<string, string>, where: (name: string) => string): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (VM_OWN_HEADERS.includes(name.toLowerCase())) {
      throw vmErrors.invalidCustomHeaders(
        `${where(name)}: the ${name} header is set by Postura and cannot be overridden${
          name.toLowerCase() === API_KEY_HEADER ? " (paste the API key in its own field)" : ""
        }.`,
      );
    }
    if (hasControlCharacter(value)) {
      throw vmErrors.invalidCustomHeaders(`${where(name)}: the value of ${name} contains a character that cannot be sent in a header.`);
    }
  }
  return headers;
}

function typed<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CustomHeadersError) throw vmErrors.invalidCustomHeaders(error.message);
    throw error;
  }
}

/** The wizard's text box: "name: value" lines (blank lines and # comments skipped). Throws SnapsecVmError. */
export function parseVmCustomHeaders(text: string): Record<string, string> {
  const headers = typed(() => parseCustomHeaders(text));
  const lines = text.split(/\r?\n/);
  const lineOf = (name: string) => {
    const index = lines.findIndex((line) => line.trim().toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return index < 0 ? `Header ${name}` : `Line ${index + 1}`;
  };
  return checkVmRules(headers, lineOf);
}

/** Headers as stored (name → value). Values are trimmed. Throws SnapsecVmError. */
export function validateVmCustomHeaders(headers: Record<string, string>): Record<string, string> {
  if (typeof headers !== "object" || headers === null) throw vmErrors.invalidCustomHeaders("Custom headers must be name: value pairs.");
  for (const value of Object.values(headers)) {
    if (typeof value !== "string") throw vmErrors.invalidCustomHeaders("Every custom header needs a text value.");
  }
  return checkVmRules(
    typed(() => validateCustomHeaders(headers)),
    (name) => `Header ${name}`,
  );
}

/** For logs: names kept, every value replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, "[redacted]"]));
}
