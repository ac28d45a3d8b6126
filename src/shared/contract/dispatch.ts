import type { z } from 'zod';
import { AppError, toErrorData, type RpcResult } from './errors';
import { isMethodName, methods, type Handlers, type MethodName } from './index';

/** The first failing path of a zod error as "a.b[0]", so the UI can point at the field. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[')
    : '';
  return { field: field || '(input)', message: issue ? `${field || 'input'}: ${issue.message}` : 'Invalid input' };
}

/**
 * The single trust boundary: both transports (Electron IPC, test-host HTTP) call this and only
 * this. Input is validated against the contract before any core code sees it; whatever happens,
 * the caller gets an RpcResult, never a thrown stack trace.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  log: (message: string, error: unknown) => void = () => {},
): Promise<RpcResult<unknown>> {
  if (!isMethodName(name)) {
    return { ok: false, error: new AppError('unknown-method', `Unknown method "${name.slice(0, 100)}".`).toData() };
  }
  const spec = methods[name];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    return { ok: false, error: new AppError('validation', message, field).toData() };
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof AppError)) log(`handler ${name as MethodName} failed`, error);
    return { ok: false, error: toErrorData(error) };
  }
}
