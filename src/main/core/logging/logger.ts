/**
 * The core's logger port. Core code logs through this and never through console: the hosts pass
 * an implementation (pino in the Electron shell and the test host, src/main/adapters/pino-logger.ts,
 * which redacts patient data); without one the core logs nothing. The shape is pino's own (a
 * context object first, then the message), so a pino logger is one as it stands.
 *
 * Put identifiers in the context (case id, image SHA-256, outbox kind), never patient details;
 * the adapter's redaction is the safety net, not the plan.
 */
export type LogContext = Record<string, unknown>;

export interface Logger {
  error(context: LogContext, message: string): void;
  warn(context: LogContext, message: string): void;
  info(context: LogContext, message: string): void;
  debug(context: LogContext, message: string): void;
  /** A logger that adds `bindings` (e.g. `{ part: 'outbox' }`) to every line. */
  child(bindings: LogContext): Logger;
}

/** Logs nothing: the default for tools and tests that pass no logger. */
export const silentLogger: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};
