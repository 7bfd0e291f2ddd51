import { describe, expect, it } from "vitest";
import { findingConsoleLinks } from "./console-links";

describe("findingConsoleLinks", () => {
  it("builds Salt's gap link from the region's console host and the gap id, escaped", () => {
    expect(findingConsoleLinks({ source: "salt_security", externalId: "gap/1 2", details: null }, { region: "eu", baseUrl: null })).toEqual([
      { label: "Open in Salt Security", url: "https://app.secured-api-eu.com/posture-gaps/gap%2F1%202" },
    ]);
    expect(findingConsoleLinks({ source: "salt_security", externalId: "g1", details: null }, null)).toEqual([]);
  });

  it("links a Tenable finding to its plugin and its asset, and nothing for values that are not ids", () => {
    const uuid = "0b7c7c7e-1111-4a4a-9b9b-123456789abc";
    expect(
      findingConsoleLinks({ source: "tenable_io", externalId: "x", details: { pluginId: 19506, tenableAssetUuid: uuid } }, { region: null, baseUrl: "https://cloud.tenable.com/" }),
    ).toEqual([
      { label: "Plugin at tenable.com", url: "https://www.tenable.com/plugins/nessus/19506" },
      { label: "Asset in Tenable.io", url: `https://cloud.tenable.com/tio/app.html#/assets-uw/hosts/details/${uuid}` },
    ]);
    expect(
      findingConsoleLinks({ source: "tenable_io", externalId: "x", details: { pluginId: "1;alert(1)", tenableAssetUuid: "javascript:x" } }, { region: null, baseUrl: "https://cloud.tenable.com" }),
    ).toEqual([]);
    expect(findingConsoleLinks({ source: null, externalId: null, details: null }, null)).toEqual([]);
  });
});
