// What a person's name, a company's name, an email and a password may be. Shared by the setup screen, the
// invitation form, the admin CLI and the server, so every door applies the same rules.
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

// Letters (any script), combining marks, digits, spaces and the punctuation names carry (O'Brien, Smith-Jones, Jr.).
const personNamePattern = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .'’-]*$/u;
// Company names also carry &, commas, parentheses and the like, but never control or format characters.
const companyNamePattern = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}\p{Zs}\p{P}\p{S}]*$/u;

export const personNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(NAME_MAX_LENGTH, `A name has at most ${NAME_MAX_LENGTH} characters.`)
  .regex(personNamePattern, "Use letters, digits, spaces and . ' - only.");

export const companyNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the company's name.")
  .max(NAME_MAX_LENGTH, `A company name has at most ${NAME_MAX_LENGTH} characters.`)
  .regex(companyNamePattern, "The company name contains characters that are not allowed.");

export const emailSchema = z
  .string()
  .trim()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter a valid email address."))
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
