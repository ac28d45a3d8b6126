import { readFileSync } from 'node:fs';
import { DEMO_LETTERHEAD, letterheadSchema, type Letterhead } from '../../shared/domain/letterhead';

export { DEMO_LETTERHEAD, letterheadSchema, type Letterhead };

/**
 * The letterhead named by DERMDESK_LETTERHEAD (a JSON file of letterheadSchema's shape), or the
 * demo's when unset. A file that cannot be read or does not fit the shape stops the program at
 * start with the reason (a letter with a wrong heading must never be issued).
 */
export function letterheadFromEnv(env: NodeJS.ProcessEnv = process.env): Letterhead {
  const path = env['DERMDESK_LETTERHEAD'];
  if (!path) return DEMO_LETTERHEAD;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`DERMDESK_LETTERHEAD (${path}) could not be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = letterheadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `DERMDESK_LETTERHEAD (${path}) is not a letterhead: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
