import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoses } from '../../src/shared/domain/diagnoses';
import { repoRoot } from '../support/fixtures';

/**
 * Every SNOMED CT code shipped in resources/diagnoses names its source: a row of SOURCES.md whose
 * key is the entry's `snomedSource`, which carries the same concept id and names the entry by its
 * current label (so relabelling an entry without re-checking its concept fails here).
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
      const ourLabel = row?.split('|')[2]?.trim();
      expect(ourLabel, `SOURCES.md row for ${d.snomedCode} names our label`).toBe(d.label);
    }
  });

  it('no concept id is shipped twice, and no source row is left without its diagnosis', () => {
    const coded = diagnoses.flatMap((d) => (d.snomedCode ? [d.snomedCode] : []));
    expect(new Set(coded).size).toBe(coded.length);
    const rowCodes = sources.filter((l) => l.startsWith('| `')).map((l) => l.split('|')[3]?.trim());
    expect(rowCodes.sort()).toEqual(coded.sort());
  });
});
