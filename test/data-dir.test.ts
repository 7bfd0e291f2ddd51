// The embedded data directory holds the database (session tokens in its WAL) and the generated secrets:
// other users of the machine must not be able to read or write any of it, on a new install or an old one.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { embeddedDatabaseDir, secureDataDir } from "@/server/security/data-dir";
import { demoHost, demoListeningMessage } from "@/scripts/demo-host";

const root = mkdtempSync(path.join(tmpdir(), "postura-data-dir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function modes(dir: string): Map<string, number> {
  const found = new Map<string, number>([[dir, statSync(dir).mode & 0o777]]);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    found.set(full, statSync(full).mode & 0o777);
  }
  return found;
}

function openToOthers(found: Map<string, number>): string[] {
  return [...found].filter(([, mode]) => (mode & 0o077) !== 0).map(([file, mode]) => `${file} ${mode.toString(8)}`);
}

describe("DATA_DIR permissions", () => {
  it("creates a new data directory 0700 and the database under it unreachable by others", async () => {
    const dataDir = path.join(root, "fresh");
    const handle = openDatabase({ dataDir: embeddedDatabaseDir(dataDir) });
    await handle.db.execute("create table t (x int)");
    await handle.close();

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    // The next start tightens whatever PGlite created with its own modes.
    secureDataDir(dataDir);
    const found = modes(dataDir);
    expect(found.size).toBeGreaterThan(100);
    expect(openToOthers(found)).toEqual([]);
  });

  it("fixes an existing install whose files are world-readable and world-writable", () => {
    const dataDir = path.join(root, "old");
    mkdirSync(path.join(dataDir, "pglite", "base"), { recursive: true });
    writeFileSync(path.join(dataDir, "secrets.json"), "{}");
    writeFileSync(path.join(dataDir, "pglite", "base", "1"), "x");
    chmodSync(path.join(dataDir, "secrets.json"), 0o644);
    chmodSync(path.join(dataDir, "pglite", "base", "1"), 0o666);
    chmodSync(path.join(dataDir, "pglite", "base"), 0o777);
    chmodSync(dataDir, 0o755);
    expect(openToOthers(modes(dataDir)).length).toBe(4);

    embeddedDatabaseDir(dataDir);

    const found = modes(dataDir);
    expect(openToOthers(found)).toEqual([]);
    expect(found.get(path.join(dataDir, "pglite", "base", "1"))).toBe(0o600);
    expect(found.get(path.join(dataDir, "pglite", "base"))).toBe(0o700);
  });
});

describe("npm run demo's address", () => {
  it("binds loopback unless HOST says otherwise, and says so", () => {
    expect(demoHost(undefined)).toBe("127.0.0.1");
    expect(demoHost("0.0.0.0")).toBe("0.0.0.0");
    expect(demoListeningMessage("127.0.0.1", 3000)).toContain("http://127.0.0.1:3000 (this machine only");
    expect(demoListeningMessage("0.0.0.0", 3000)).toContain("reachable from other machines");
  });
});
