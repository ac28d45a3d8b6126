import { describe, expect, it } from 'vitest';
import { diagnoses, searchDiagnoses } from './diagnoses';
import { planTemplateById } from './plan-templates';

describe('bundled diagnoses', () => {
  it('has unique ids, a template for every diagnosis and only skinhealthinfo leaflet links', () => {
    expect(new Set(diagnoses.map((d) => d.id)).size).toBe(diagnoses.length);
    expect(diagnoses.length).toBeGreaterThanOrEqual(30);
    for (const d of diagnoses) {
      expect(planTemplateById(d.templateId), d.id).toBeDefined();
      if (d.leaflet) expect(new URL(d.leaflet.url).hostname).toBe('www.skinhealthinfo.org.uk');
    }
  });

  it('ships only the SNOMED codes verified in SOURCES.md', () => {
    const coded = diagnoses.filter((d) => d.snomedCode).map((d) => d.snomedCode);
    expect(coded.sort()).toEqual(
      [
        '1197294001',
        '1260467009',
        '254701007',
        '400096001',
        '442348004',
        '716274007',
        '72100002',
        '254651007',
        '201101007',
        '398909004',
        '24079001',
        '56727007',
        '59393003',
        '68225006',
      ].sort(),
    );
  });

  it('finds by word prefixes in any order, by code, and ignores punctuation and case', () => {
    expect(searchDiagnoses('seb ker').map((d) => d.id)).toContain('seborrhoeic-keratosis');
    expect(searchDiagnoses('KERATOSIS seb').map((d) => d.id)).toContain('inflamed-seborrhoeic-keratosis');
    expect(searchDiagnoses('254701007').map((d) => d.id)).toEqual(['basal-cell-carcinoma']);
    expect(searchDiagnoses("bowen's")[0]?.id).toBe('bowens-disease');
    expect(searchDiagnoses('')).toHaveLength(diagnoses.length);
  });

  it('returns nothing for hostile or unmatched input rather than throwing', () => {
    expect(searchDiagnoses('zzzz')).toEqual([]);
    expect(searchDiagnoses('"; DROP TABLE x; --')).toEqual([]);
    expect(searchDiagnoses('.*(')).toHaveLength(diagnoses.length);
  });
});
