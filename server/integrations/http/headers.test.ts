import { describe, expect, it } from "vitest";
import { CustomHeadersError, parseCustomHeaders, validateCustomHeaders } from "./headers";

describe("parseCustomHeaders", () => {
  it("reads name: value lines, skipping blanks and comments, keeping colons in values", () => {
    expect(parseCustomHeaders("X-Tenant: acme\n\n# proxy\r\nX-Forwarded-Url:  https://a.example.com:8443/x  \n")).toEqual({
      "X-Tenant": "acme",
      "X-Forwarded-Url": "https://a.example.com:8443/x",
    });
    expect(parseCustomHeaders("")).toEqual({});
  });

  it("says which line is wrong and why", () => {
    expect(() => parseCustomHeaders("X-Ok: 1\nno colon here")).toThrow(/^Line 2: expected "name: value"/);
    expect(() => parseCustomHeaders("Bad Name: 1")).toThrow(/Line 1: "Bad Name" is not a valid header name/);
    expect(() => parseCustomHeaders("X-Empty:")).toThrow(/Line 1: the X-Empty header has no value/);
    expect(() => parseCustomHeaders("X-A: 1\nx-a: 2")).toThrow(/Line 2: the x-a header is given twice/);
    expect(() => parseCustomHeaders(": value")).toThrow(CustomHeadersError);
  });

  it("refuses to override Authorization, Host and other headers Postura sets", () => {
    expect(() => parseCustomHeaders("authorization: Bearer other")).toThrow(/authorization header is set by Postura.*API key/);
    expect(() => parseCustomHeaders("Host: evil.example.com")).toThrow(/Host header is set by Postura/);
    expect(() => parseCustomHeaders("User-Agent: curl")).toThrow(/User-Agent/);
  });

  it("refuses values that cannot travel in a header", () => {
    expect(() => validateCustomHeaders({ "X-A": "a\r\nInjected: 1" })).toThrow(/cannot be sent/);
    expect(() => validateCustomHeaders({ "X-A": "emoji 🙂" })).toThrow(/cannot be sent/);
    expect(validateCustomHeaders({ "X-A": " café " })).toEqual({ "X-A": "café" });
  });

  it("refuses control characters fetch would fail to send (as a network error), but keeps tabs", () => {
    expect(() => validateCustomHeaders({ "X-A": "a\u0001b" })).toThrow(/value of X-A contains a character that cannot be sent/);
    expect(() => parseCustomHeaders("X-A: a\u007fb")).toThrow(/Line 1: the value of X-A contains a character/);
    expect(validateCustomHeaders({ "X-A": "a\tb" })).toEqual({ "X-A": "a\tb" });
  });

  it("refuses the names a client reserves for itself, pointing key headers to the key field", () => {
    const rules = { reserved: ["X-Api-Key", "Idempotency-Key"], keyHeaders: ["x-api-key"] };
    expect(() => parseCustomHeaders("x-api-key: k", rules)).toThrow(/x-api-key header is set by Postura.*API key in its own field/);
    expect(() => parseCustomHeaders("\nIdempotency-Key: 1", rules)).toThrow(/^Line 2: the Idempotency-Key header is set by Postura and cannot be overridden\.$/);
    expect(parseCustomHeaders("x-api-key: k")).toEqual({ "x-api-key": "k" });
  });

  it("refuses stored headers that are not text", () => {
    expect(() => validateCustomHeaders(null as unknown as Record<string, string>)).toThrow(/name: value pairs/);
    expect(() => validateCustomHeaders({ "X-A": 1 } as unknown as Record<string, string>)).toThrow(/needs a text value/);
  });
});
