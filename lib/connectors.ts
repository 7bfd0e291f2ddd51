// The Tenable.io connector form's rules, shared by the form (to say what is wrong before sending) and the server
// (which decides). Keys are sent in a header of name=value; pairs, so whitespace, ";" and "=" cannot be in them.
import { z } from "zod";

export const TENABLE_DEFAULT_BASE_URL = "https://cloud.tenable.com";

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why a base URL is refused, or null when it is fine. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full URL, e.g. https://cloud.tenable.com.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The base URL must start with https://.";
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return "The base URL must use https (plain http only for a loopback address such as 127.0.0.1): the keys travel with every request.";
  }
  if (url.username || url.password) return "Leave user name and password out of the URL; the API keys authenticate.";
  if (url.search || url.hash) return "Leave the query and fragment out of the base URL.";
  return null;
}

const key = (label: string) =>
  z
    .string()
    .trim()
    .max(256, `The ${label} is at most 256 characters.`)
    .refine((v) => !/[\s;=]/.test(v) && !/[^\x21-\x7e]/.test(v), `The ${label} holds characters an API key never has (spaces, ";" or "=").`);

export const tenableConnectorInput = z.object({
  /** Blank keeps the stored key (the form shows "replace" instead of the key, which is never sent back). */
  accessKey: key("access key").optional(),
  secretKey: key("secret key").optional(),
  baseUrl: z
    .string()
    .trim()
    .max(500)
    .superRefine((v, ctx) => {
      const problem = baseUrlProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  /** Blank (null) = unlimited. */
  daysSince: z.number({ error: "Days since is a whole number of days, or blank." }).int("Days since is a whole number of days, or blank.").min(1, "Days since is at least 1 (leave it blank for unlimited).").max(36_500, "Days since is at most 36,500.").nullable(),
});
export type TenableConnectorInput = z.infer<typeof tenableConnectorInput>;
