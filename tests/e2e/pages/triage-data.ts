import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { sampleCase, sampleNhsNumber } from '../../support/sample-case';
import type { CaseRecord } from '../../../src/shared/domain/case';

/** The consultant the e2e specs sign in as (kept in the cache's kv table, as sync does). */
export const consultant = { id: 'c-hopper', displayName: 'Dr Grace Hopper' };

/** A case received `daysAgo` days before now (so due dates and overdue flags follow the clock). */
export function caseReceived(daysAgo: number, overrides: Parameters<typeof sampleCase>[0] = {}): CaseRecord {
  const receivedAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  return sampleCase({ ...overrides, referral: { receivedAt, ...overrides.referral } });
}

export function patient(familyName: string, givenName: string, seed: number): CaseRecord['patient'] {
  return { nhsNumber: sampleNhsNumber(seed), givenName, familyName, dateOfBirth: '1970-05-01', sex: 'female' };
}

/** Reads the workstation's cache read-only from the test process (WAL lets a reader in). */
export function readCache<T>(dataDir: string, query: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'cache.sqlite'), { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

/**
 * axe-core run inside the page via Playwright's evaluate (which CSP does not block, unlike an
 * injected script tag). @axe-core/playwright needs a page from browser.newContext(), which the
 * shared fixture does not create; this is the same engine and rules.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document);
    // A run that checked nothing would pass vacuously: insist that rules actually ran.
    if (result.passes.length === 0) throw new Error('axe-core ran no rules on this page');
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: string[] }>;
}
