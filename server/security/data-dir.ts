// Embedded mode keeps the whole database (whose write-ahead log holds live session tokens) and the generated
// secrets under DATA_DIR, so nothing there may be readable by other users of the machine.
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;

/**
 * Makes `dir` (and its parents, if missing) owner-only, sets the process umask so files created from now on
 * are owner-only, and tightens whatever an earlier version left behind. PGlite chmods the files it creates to
 * 0666 whatever the umask, so the 0700 directory is what really keeps them private; the sweep on every start
 * also fixes the files themselves.
 */
export function secureDataDir(dir: string): void {
  process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  restrictTree(path.resolve(dir));
}

function restrictTree(dir: string): void {
  restrict(dir, OWNER_ONLY_DIR);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) restrictTree(child);
    else if (entry.isFile()) restrict(child, OWNER_ONLY_FILE);
    // Symlinks and sockets are left alone: chmod would follow a link out of the data directory.
  }
}

function restrict(target: string, mode: number): void {
  const current = statSync(target).mode & 0o777;
  if ((current & 0o077) !== 0) chmodSync(target, current & mode);
}

/** The embedded database's directory inside DATA_DIR, made private first. */
export function embeddedDatabaseDir(dataDir: string): string {
  secureDataDir(dataDir);
  return path.join(dataDir, "pglite");
}
