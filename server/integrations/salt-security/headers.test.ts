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
});
