import { describe, expect, it } from "vitest";
import { unreachableFromInternet } from "./public-address";

describe("unreachableFromInternet", () => {
  it.each([
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://[::1]:3000",
    "http://10.1.2.3",
    "http://172.20.0.5",
    "http://192.168.1.10:8080",
    "http://169.254.1.1",
    "http://postura.local",
    "http://postura",
    "http://[fd12:3456::1]",
  ])("names %s as unreachable", (url) => {
    expect(unreachableFromInternet(url)).toMatch(/\S/);
  });

  it.each(["https://postura.example.com", "https://203.0.113.7", "http://172.32.0.1", "https://[2001:db8::1]"])("accepts %s", (url) => {
    expect(unreachableFromInternet(url)).toBeNull();
  });
});
