import { describe, expect, it } from 'vitest';
import { diagnoses, hasValidVerhoeffCheckDigit, pickCountsFromLabels, searchDiagnoses } from './diagnoses';
import { planTemplateById } from './plan-templates';

const first = (q: string, picks = {}): string | undefined => searchDiagnoses(q, { picks })[0]?.label;

describe('bundled diagnoses', () => {
  it('has at least 120 entries with unique ids, a template each and only skinhealthinfo leaflet links', () => {
    expect(new Set(diagnoses.map((d) => d.id)).size).toBe(diagnoses.length);
    expect(diagnoses.length).toBeGreaterThanOrEqual(120);
    for (const d of diagnoses) {
      expect(planTemplateById(d.templateId), d.id).toBeDefined();
      if (d.leaflet) expect(new URL(d.leaflet.url).hostname).toBe('www.skinhealthinfo.org.uk');
    }
  });

  it('every SNOMED CT code passes the Verhoeff check digit; free-text entries carry no source', () => {
    for (const d of diagnoses) {
      if (d.snomedCode) expect(hasValidVerhoeffCheckDigit(d.snomedCode), `${d.label} ${d.snomedCode}`).toBe(true);
      else expect(d.snomedSource, d.label).toBeNull();
    }
  });

  it('the check digit catches a mistyped or transposed digit', () => {
    expect(hasValidVerhoeffCheckDigit('404684003')).toBe(true); // Clinical finding
    expect(hasValidVerhoeffCheckDigit('138875005')).toBe(true); // SNOMED CT concept (root)
    expect(hasValidVerhoeffCheckDigit('404684004')).toBe(false);
    expect(hasValidVerhoeffCheckDigit('254710007')).toBe(false); // 254701007 with two digits swapped
    expect(hasValidVerhoeffCheckDigit('25470100x')).toBe(false);
    expect(hasValidVerhoeffCheckDigit('')).toBe(false);
  });

  it('ships exactly the verified codes', () => {
    const coded = diagnoses.flatMap((d) => (d.snomedCode ? [d.snomedCode] : []));
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
        '9014002',
        '43116000',
        '200936003',
        '254819008',
        '69408002',
        '43982006',
        '722859001',
        '128045006',
        '371032004',
        '189758001',
        '702617007',
        '200703007',
      ].sort(),
    );
  });
});

describe('diagnosis search', () => {
  it('finds abbreviations and the conditions demo cases describe', () => {
    expect(first('bcc')).toBe('Basal cell carcinoma of skin');
    expect(first('scc')).toBe('Cutaneous squamous cell carcinoma');
    expect(first('ak')).toBe('Actinic (solar) keratosis');
    expect(first('sk')).toBe('Seborrhoeic keratosis');
    expect(first('MM')).toBe('Malignant melanoma of skin');
    expect(first('dle')).toBe('Discoid lupus erythematosus');
    expect(first('molluscum')).toBe('Molluscum contagiosum');
    expect(first('pemphigoid')).toBe('Bullous pemphigoid');
    expect(first('pyoderma gang')).toBe('Pyoderma gangrenosum');
    expect(first('shingles')).toBe('Herpes zoster (shingles)');
  });

  it('"naev" offers the ordinary mole before the rare large congenital naevus', () => {
    const labels = searchDiagnoses('naev').map((d) => d.label);
    expect(labels[0]).toBe('Melanocytic naevus (mole)');
    expect(labels.indexOf('Large congenital melanocytic naevus')).toBeGreaterThan(0);
  });

  it('finds by word prefixes in any order, by code, and ignores punctuation and case', () => {
    expect(searchDiagnoses('seb ker').map((d) => d.id)).toContain('seborrhoeic-keratosis');
    expect(searchDiagnoses('KERATOSIS seb').map((d) => d.id)).toContain('inflamed-seborrhoeic-keratosis');
    expect(searchDiagnoses('254701007').map((d) => d.id)).toEqual(['basal-cell-carcinoma']);
    expect(first("bowen's")).toBe("Bowen's disease (SCC in situ)");
    expect(searchDiagnoses('')).toHaveLength(diagnoses.length);
  });

  it("ranks this consultant's frequent picks first, but never above what they typed exactly", () => {
    const picks = pickCountsFromLabels([
      { label: 'Large congenital melanocytic naevus', count: 9 },
      { label: 'Malignant melanoma of skin', count: 4 },
      { label: 'a free-text diagnosis', count: 50 },
    ]);
    expect(picks).toEqual({ 'large-congenital-melanocytic-naevus': 9, melanoma: 4 });
    // Their habit wins over commonness on a partial word...
    expect(first('naev', picks)).toBe('Large congenital melanocytic naevus');
    expect(first('', picks)).toBe('Large congenital melanocytic naevus');
    // ...but an exact name or abbreviation always comes first, however often they chose another.
    expect(first('mole', picks)).toBe('Melanocytic naevus (mole)');
    expect(first('bcc', picks)).toBe('Basal cell carcinoma of skin');
    // Without picks, a rare or malignant entry never leads on a partial word when a common one matches.
    for (const q of ['naev', 'mel', 'ker', 'car', 'derm']) {
      const top = searchDiagnoses(q)[0];
      const commonest = Math.max(...searchDiagnoses(q).map((d) => d.commonness));
      expect(top?.commonness, q).toBe(commonest);
    }
  });

  it('returns nothing for hostile or unmatched input rather than throwing', () => {
    expect(searchDiagnoses('zzzz')).toEqual([]);
    expect(searchDiagnoses('"; DROP TABLE x; --')).toEqual([]);
    expect(searchDiagnoses('.*(')).toHaveLength(diagnoses.length);
    expect(searchDiagnoses('a'.repeat(10_000))).toEqual([]);
  });
});
