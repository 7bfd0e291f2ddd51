// CWE ids as sources report them. Only a well-formed id ("CWE-79", any case, surrounding spaces allowed) links to
// MITRE; anything else (say `javascript:alert(1)//CWE-79`) is shown as text. Names come from MITRE's CWE list
// (lib/cwe-names.json: the CWE Top 25 and the weaknesses API-security findings name), shipped as data: no network.
import cweNames from "./cwe-names.json";

const CWE_ID = /^\s*CWE-(\d{1,7})\s*$/i;

function cweNumber(cwe: string | null | undefined): number | null {
  const number = cwe ? CWE_ID.exec(cwe)?.[1] : undefined;
  return number ? Number(number) : null;
}

export function cweUrl(cwe: string | null | undefined): string | null {
  const number = cweNumber(cwe);
  return number === null ? null : `https://cwe.mitre.org/data/definitions/${number}.html`;
}

/** MITRE's name of the weakness, when the id is one the shipped list holds. */
export function cweName(cwe: string | null | undefined): string | null {
  const number = cweNumber(cwe);
  return number === null ? null : ((cweNames as Record<string, string>)[String(number)] ?? null);
}
