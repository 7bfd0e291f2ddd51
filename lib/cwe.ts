// CWE ids as sources report them. Only a well-formed id ("CWE-79", any case, surrounding spaces allowed) links to
// MITRE; anything else (say `javascript:alert(1)//CWE-79`) is shown as text.
const CWE_ID = /^\s*CWE-(\d{1,7})\s*$/i;

export function cweUrl(cwe: string | null | undefined): string | null {
  const number = cwe ? CWE_ID.exec(cwe)?.[1] : undefined;
  return number ? `https://cwe.mitre.org/data/definitions/${Number(number)}.html` : null;
}
