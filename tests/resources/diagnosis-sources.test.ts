import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoses } from '../../src/shared/domain/diagnoses';
import { repoRoot } from '../support/fixtures';

/**
 * Every SNOMED CT code shipped in resources/diagnoses names its source: a row of SOURCES.md whose
 * key is the entry's `snomedSource` and which carries the same concept id.
 */
const sources = readFileSync(join(repoRoot, 'resources/diagnoses/SOURCES.md'), 'utf8').split('\n');

describe('diagnosis codes and their sources', () => {
  it('each coded diagnosis names a SOURCES.md row with its key and its code', () => {
    const coded = diagnoses.filter((d) => d.snomedCode !== null);
    expect(coded.length).toBeGreaterThan(0);
    for (const d of coded) {
      const row = sources.find(
        (l) => l.includes(`\`${d.snomedSource ?? ''}\``) && l.split('|').some((cell) => cell.trim() === d.snomedCode),
      );
      expect(row, `SOURCES.md row for ${d.label}: ${d.snomedSource} / ${d.snomedCode}`).toBeDefined();
    }
  });
});
