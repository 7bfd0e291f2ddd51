// Structured logs through pino: one JSON object per line (pino escapes every value, so no input can forge a
// line), secrets redacted by key, errors through pino's serializer, and the request id or job/run id of the
// work in progress on every line (see withLogContext). Warnings and errors go to stderr, the rest to stdout.
//
// The exported `logger` keeps the project's call shape, `logger.info(message, fields)`.
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { env } from "@/server/env";

/** Keys whose values are secrets wherever they appear (top level or one object down). */
const SECRET_KEYS = [
  "password",
  "token",
  "apiKey",
  "api_key",
  "webhookToken",
  "webhook_token",
  "secret",
  "authSecret",
  "encryptionKey",
  "authorization",
  "cookie",
  "set-cookie",
  '"x-postura-webhook-token"',
];
export const redactedPaths = [...SECRET_KEYS, ...SECRET_KEYS.map((key) => `*.${key}`)];

type LogContext = Record<string, string>;
const globalForLog = globalThis as unknown as { __posturaLogContext?: AsyncLocalStorage<LogContext>; __posturaPino?: pino.Logger };
// On globalThis: Next.js loads route handlers and instrumentation as separate bundles.
const contextStorage = (globalForLog.__posturaLogContext ??= new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `fields` (say, a request id) added to every log line written inside it. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return contextStorage.run({ ...contextStorage.getStore(), ...fields }, fn);
}

/** Adds fields to the current context from here on, e.g. the run id once a job has created its run. */
export function addLogContext(fields: LogContext): void {
  const store = contextStorage.getStore();
  if (store) Object.assign(store, fields);
}

export function createPinoLogger(destination: pino.DestinationStream, level: string = env.LOG_LEVEL): pino.Logger {
  return pino(
    {
      level,
      messageKey: "message",
      errorKey: "error",
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err, cause: pino.stdSerializers.err },
      mixin: () => ({ ...contextStorage.getStore() }),
    },
    destination,
  );
}

function processLogger(): pino.Logger {
  globalForLog.__posturaPino ??= createPinoLogger(
    pino.multistream(
      [
        { level: "trace", stream: pino.destination({ fd: 1, sync: true }) },
        { level: "warn", stream: pino.destination({ fd: 2, sync: true }) },
      ],
      { dedupe: true },
    ),
  );
  return globalForLog.__posturaPino;
}

type Fields = Record<string, unknown>;

export function loggerFor(base: () => pino.Logger) {
  return {
    debug: (message: string, fields?: Fields) => base().debug(fields ?? {}, message),
    info: (message: string, fields?: Fields) => base().info(fields ?? {}, message),
    warn: (message: string, fields?: Fields) => base().warn(fields ?? {}, message),
    error: (message: string, fields?: Fields) => base().error(fields ?? {}, message),
  };
}

export const logger = loggerFor(processLogger);
