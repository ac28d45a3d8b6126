import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { applyCacheKey } from '../../support/cache-key';
import { sampleCase, sampleNhsNumber } from '../../support/sample-case';
import type { CaseRecord } from '../../../src/shared/domain/case';
import { daysBeforeTestStart } from '../../support/test-clock';

/** The consultant the e2e specs sign in as (kept in the cache's kv table, as sync does). */
export const consultant = { id: 'c-hopper', displayName: 'Dr Grace Hopper' };

/**
 * A case received `daysAgo` days before the app's clock starts (the fixture's default
 * `clockStart`, TEST_CLOCK_START), so its due date and overdue mark are the same on any day.
 */
export function caseReceived(daysAgo: number, overrides: Parameters<typeof sampleCase>[0] = {}): CaseRecord {
  const receivedAt = daysBeforeTestStart(daysAgo);
  return sampleCase({ ...overrides, referral: { receivedAt, ...overrides.referral } });
}

export function patient(familyName: string, givenName: string, seed: number): CaseRecord['patient'] {
  return { nhsNumber: sampleNhsNumber(seed), givenName, familyName, dateOfBirth: '1970-05-01', sex: 'female' };
}

/** Reads the workstation's (encrypted) cache read-only from the test process (WAL lets a reader in). */
export function readCache<T>(app: { dataDir: string; cacheKey: string }, query: (db: Database.Database) => T): T {
  const db = new Database(join(app.dataDir, 'cache.sqlite'), { readonly: true });
  try {
    applyCacheKey(db, app.cacheKey);
    return query(db);
  } finally {
    db.close();
  }
}

/** Serious and critical axe-core violations on the page (@axe-core/playwright, all rules). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  // A run that checked nothing would pass vacuously: insist that rules actually ran.
  if (result.passes.length === 0) throw new Error('axe-core ran no rules on this page');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
