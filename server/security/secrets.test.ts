import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, hashToken, tokenMatchesHash } from "./secrets";

const key = randomBytes(32);

describe("secret envelopes", () => {
  it("round-trips and never contains the plain text", () => {
    const envelope = encryptSecret("salt-api-key-123", key);
    expect(envelope.startsWith("v1.")).toBe(true);
    expect(envelope).not.toContain("salt-api-key-123");
    expect(decryptSecret(envelope, key)).toBe("salt-api-key-123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("refuses a tampered envelope or the wrong key", () => {
    const envelope = encryptSecret("secret", key);
    const parts = envelope.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0] = ct[0]! ^ 0xff;
    const tampered = [parts[0], parts[1], parts[2], ct.toString("base64url")].join(".");
    expect(() => decryptSecret(tampered, key)).toThrow();
    expect(() => decryptSecret(envelope, randomBytes(32))).toThrow();
    expect(() => decryptSecret("v0.garbage", key)).toThrow(/unknown format/);
  });
});

describe("token hashes", () => {
  it("matches only the right token", () => {
    const stored = hashToken("whk_abc");
    expect(tokenMatchesHash("whk_abc", stored)).toBe(true);
    expect(tokenMatchesHash("whk_abd", stored)).toBe(false);
    expect(tokenMatchesHash("whk_abc", null)).toBe(false);
    expect(tokenMatchesHash("whk_abc", "short")).toBe(false);
  });
});
