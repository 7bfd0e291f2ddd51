// `npm run admin -- <command>`: see server/admin-cli.ts for the commands. Uses the database the server would
// (DATABASE_URL, or the embedded one in DATA_DIR — stop the server first: PGlite allows one process at a time).
import path from "node:path";

async function main() {
  const { env } = await import("@/server/env");
  const { migrateDatabase, openDatabase } = await import("@/db/client");
  const { AdminCommandError, adminUsage, runAdminCommand } = await import("@/server/admin-cli");
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes("--help")) {
    console.log(adminUsage);
    return;
  }
  const handle = env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL }, { poolSize: 1 })
    : openDatabase({ dataDir: path.join(env.DATA_DIR, "pglite") });
  try {
    await migrateDatabase(handle);
    for (const line of await runAdminCommand(handle.db, argv)) console.log(line);
  } catch (error) {
    // A mistyped option (parseArgs) or an operator error: say what is wrong, no stack trace.
    if (error instanceof AdminCommandError || (error instanceof TypeError && "code" in error)) {
      console.error(error.message.includes("--password") ? `${error.message}: set POSTURA_PASSWORD instead (kept out of shell history).` : error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
