// Runs one end-to-end server (the command after `--`) and keeps a copy of everything it writes to stderr in
// <log file>, so the tests can fail on a server error that no browser saw (e2e/test.ts reads it).
// Usage: node scripts/e2e-server.mjs <log file> -- <shell command>
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const separator = args.indexOf("--");
const logFile = args[0];
if (!logFile || separator !== 1 || args.length < 3) {
  console.error("usage: node scripts/e2e-server.mjs <log file> -- <command>");
  process.exit(2);
}
mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile, { flags: "w" });

const server = spawn(args.slice(2).join(" "), { shell: true, stdio: ["ignore", "inherit", "pipe"], env: process.env });
server.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
