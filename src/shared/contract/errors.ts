import { z } from 'zod';

/**
 * Errors cross every boundary (IPC, the test host's HTTP, the hub) as data: a code from this
 * closed list, a message a consultant can act on, and the field at fault when there is one.
 * Never a stack trace.
 */
export const errorCodes = [
  'validation',
  'unknown-method',
  'forbidden',
  'not-found',
  'conflict',
  'locked',
  'unavailable',
  'schema-too-new',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  field: z.string().optional(),
});
export type AppErrorData = z.infer<typeof appErrorSchema>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }

  toData(): AppErrorData {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** Turns anything thrown into boundary-safe data; unexpected errors lose their details. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData();
  return { code: 'internal', message: 'Something went wrong inside DermDesk. Your work is saved; try again.' };
}

/** Result envelope used by both transports so the client can rebuild AppError. */
export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };
