// Custom headers for Snapsec VM ("key: value" per line): the shared rules plus VM's own key and idempotency headers,
// with every failure as a typed SnapsecVmError.
import {
  CustomHeadersError,
  parseCustomHeaders,
  redactHeaders,
  validateCustomHeaders,
  type CustomHeaderRules,
} from "@/server/integrations/http/headers";
import { API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER } from "./contract";
import { vmErrors } from "./errors";

/** Headers the VM client sets itself, on top of those the shared rules already refuse. */
const VM_RULES: CustomHeaderRules = {
  reserved: [API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER, "accept"],
  keyHeaders: [API_KEY_HEADER],
};

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
  return typed(() => parseCustomHeaders(text, VM_RULES));
}

/** Headers as stored (name → value). Values are trimmed. Throws SnapsecVmError. */
export function validateVmCustomHeaders(headers: Record<string, string>): Record<string, string> {
  return typed(() => validateCustomHeaders(headers, VM_RULES));
}

export { redactHeaders };
