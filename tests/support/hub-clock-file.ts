import { readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * A clock two processes share through a file, for e2e specs that run the hub as its own process
 * and move its calendar (failsafe escalation after working days). The file holds an ISO instant;
 * the clock reads that instant plus the real time since the file was written, so it ticks on
 * like a real clock and a spec moves it by writing the file again. Test code only: the hub's CLI
 * has no way to take it, so no deployed hub can be started on a fake calendar.
 */
export function fileClock(file: string): () => Date {
  let cached: { mtimeMs: number; at: number } | null = null;
  return () => {
    const { mtimeMs } = statSync(file);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const at = Date.parse(readFileSync(file, 'utf8').trim());
      if (Number.isNaN(at)) throw new Error(`The clock file ${file} does not hold an ISO instant`);
      cached = { mtimeMs, at };
    }
    return new Date(cached.at + Math.max(0, Date.now() - mtimeMs));
  };
}

/** Sets the shared clock to `iso` (it ticks on from there). */
export function setFileClock(file: string, iso: string): void {
  if (Number.isNaN(Date.parse(iso))) throw new Error(`Not an ISO instant: ${iso}`);
  writeFileSync(file, iso);
}
