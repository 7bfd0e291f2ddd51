// Text typed by people (search boxes, filters, notes): bounded, and free of control characters, which no
// person types and which PostgreSQL refuses (NUL) or logs and terminals misread (CR, LF, escapes).
import { z } from "zod";

const SINGLE_LINE = /^[^\p{Cc}]*$/u;
const MULTI_LINE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;

export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

/** A trimmed string of at most `max` characters without control characters (`multiline` allows tab and line breaks). */
export function userText({ max, multiline = false }: { max: number; multiline?: boolean }) {
  return z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .regex(multiline ? MULTI_LINE : SINGLE_LINE, CONTROL_CHARACTERS_MESSAGE);
}

/** True when `value` has no control characters (for checks outside a zod schema). */
export function isPlainText(value: string): boolean {
  return SINGLE_LINE.test(value);
}
