import { describe, expect, it } from "vitest";
import { cweName, cweUrl } from "./cwe";

describe("CWE ids", () => {
  it("names and links well-formed ids only", () => {
    expect(cweName("CWE-79")).toBe("Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
    expect(cweName(" cwe-0639 ")).toBe("Authorization Bypass Through User-Controlled Key");
    expect(cweUrl(" cwe-0639 ")).toBe("https://cwe.mitre.org/data/definitions/639.html");
    expect(cweName("CWE-999999")).toBeNull();
    expect(cweName("javascript:alert(1)//CWE-79")).toBeNull();
    expect(cweUrl("javascript:alert(1)//CWE-79")).toBeNull();
  });
});
