// One sample vulnerability as Postura would forward it: every field filled, for tests and the bench.
import type { VmVulnerabilityInput } from "../../server/integrations/snapsec-vm/contract";

export function sampleVulnerability(n: number, overrides: Partial<VmVulnerabilityInput> = {}): VmVulnerabilityInput {
  return {
    externalId: `postura:issue:${n}`,
    title: `SQL injection in search #${n}`,
    severity: "Critical",
    status: "Acknowledged",
    owner: "sam@acme.example",
    project: "api.acme-payments.com",
    confidence: "Medium",
    endpoint: { host: "api.acme-payments.com", method: "POST", path: `/v2/search/${n}` },
    threatCategory: "Injection",
    description: "User input reaches a SQL query unescaped.",
    mitigationNotes: "Use bound parameters.",
    attackVectors: ["' OR 1=1 --"],
    tags: ["env:prod"],
    metadata: { source: "Postura", cwe: "CWE-89", link: `https://postura.example/issues/${n}` },
    ...overrides,
  };
}
