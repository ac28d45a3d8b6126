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

  it('ships exactly the verified codes, at least 60, the commonest ones among them', () => {
    const coded = diagnoses.flatMap((d) => (d.snomedCode ? [d.snomedCode] : []));
    expect(coded.length).toBeGreaterThanOrEqual(60);
    expect(coded.sort()).toEqual(
      [
        '254701007', // Basal cell carcinoma of skin
        '716274007', // Nodular basal cell carcinoma of skin
        '400096001', // Melanocytic naevus (mole)
        '1260467009', // Large congenital melanocytic naevus
        '72100002', // Solar lentigo
        '394726009', // Seborrhoeic keratosis
        '442348004', // Inflamed seborrhoeic keratosis
        '1197294001', // Malignant melanoma arising in melanocytic naevus
        '254651007', // Cutaneous squamous cell carcinoma
        '74578003', // Pyoderma gangrenosum
        '254662007', // Keratoacanthoma
        '254656002', // Bowen's disease (SCC in situ)
        '302836005', // Lentigo maligna
        '49420001', // Pemphigus vulgaris
        '201101007', // Actinic (solar) keratosis
        '398909004', // Rosacea
        '24079001', // Atopic eczema
        '9014002', // Psoriasis
        '43116000', // Eczema (unspecified)
        '200936003', // Lupus erythematosus (cutaneous)
        '254819008', // Atypical mole syndrome
        '69408002', // Gorlin syndrome
        '43982006', // Solar degeneration (sun damage)
        '722859001', // PTEN hamartoma tumour syndrome
        '56727007', // Vitiligo
        '59393003', // Hidradenitis suppurativa
        '68225006', // Alopecia areata
        '128045006', // Cellulitis
        '371032004', // Venous (stasis) leg ulcer
        '189758001', // Melanoma in situ
        '702617007', // Acute generalised exanthematous pustulosis
        '200703007', // Bullous impetigo
        '93655004', // Malignant melanoma of skin
        '4776004', // Lichen planus
        '36715001', // Erythema multiforme
        '37869000', // Chilblains (perniosis)
        '109385007', // Kaposi sarcoma
        '88594005', // Herpes simplex
        '37042000', // Guttate psoriasis
        '53312001', // Cutaneous vasculitis
        '191306005', // IgA vasculitis (Henoch-Schönlein purpura)
        '3755001', // Pityriasis rubra pilaris
        '126485001', // Urticaria
        '41291007', // Angioedema
        '40275004', // Contact dermatitis (unspecified)
        '73442001', // Stevens-Johnson syndrome
        '768962006', // Toxic epidermal necrolysis (Lyell syndrome)
        '702809001', // Drug reaction with eosinophilia and systemic symptoms (DRESS)
        '399992009', // Erythroderma
        '396230008', // Dermatomyositis
        '402843003', // Venous lake
        '400200009', // Ingrown toenail
        '399205006', // Pseudofolliculitis barbae
        '399029005', // Tinea cruris
        '398696001', // Congenital melanocytic naevus
        '419603000', // Epidermoid cyst
        '414941008', // Fungal nail infection (onychomycosis)
        '416377005', // Port-wine stain
        '404098005', // Digital myxoid cyst
        '404029005', // Neurofibroma
        '895454001', // Lichen sclerosus
        '312230002', // Hyperhidrosis
        '402599005', // Acanthosis nigricans
        '402296004', // Pityriasis alba
        '416675009', // Boil (furuncle)
        '410016009', // Lipodermatosclerosis
        '240539000', // Plane (flat) wart
        '403194002', // Sunburn (solar erythema)
        '93163002', // Lipoma
        '254818000', // Dysplastic (atypical) naevus
        '254750001', // Dermatofibroma
        '254727007', // Extramammary Paget disease
        '254679001', // Milia
        '254677004', // Pilar (trichilemmal) cyst
        '253001006', // Merkel cell carcinoma
        '238751002', // Perioral dermatitis
        '238748009', // Sebaceous hyperplasia
        '238699007', // Post-inflammatory hyperpigmentation
        '238575004', // Allergic contact dermatitis
        '238539001', // Hand eczema
        '238525001', // Polymorphic light eruption
        '201091002', // Skin tag (acrochordon)
        '201077008', // Asteatotic eczema
        '201048007', // Morphoea (localised scleroderma)
        '200938002', // Discoid lupus erythematosus
        '200722003', // Pyogenic granuloma
        '195382003', // Spider naevus
        '128869009', // Scabies
        '111196000', // Dermatitis herpetiformis
        '110979008', // Irritant contact dermatitis
        '16386004', // Xerosis (dry skin)
        '84849002', // Tinea corporis
        '81418003', // Discoid eczema
        '77252004', // Pityriasis rosea
        '77090002', // Bullous pemphigoid
        '118618005', // Mycosis fungoides (cutaneous T-cell lymphoma)
        '87065009', // Nail dystrophy
        '71906005', // Paronychia
        '65508009', // Granuloma annulare
        '63501000', // Prurigo nodularis
        '58759008', // Intertrigo
        '56454009', // Pityriasis versicolor
        '53891004', // Lichen simplex chronicus
        '50563003', // Seborrhoeic dermatitis
        '49883006', // Cutaneous candidiasis
        '48611009', // Darier disease
        '48277006', // Impetigo
        '46795000', // Actinic cheilitis
        '40070004', // Molluscum contagiosum
        '39479004', // Telogen effluvium
        '36209000', // Melasma
        '35498005', // Venous (gravitational) eczema
        '33659008', // Keloid scar
        '32861005', // Erythema nodosum
        '28926001', // Drug eruption
        '19843006', // Hypertrophic scar
        '13600006', // Folliculitis
        '11381005', // Acne
        '4740000', // Herpes zoster (shingles)
        '6020002', // Tinea pedis (athlete's foot)
        '5441008', // Tinea capitis
        '5132005', // Keratosis pilaris
        '5050001', // Cherry angioma (Campbell de Morgan spot)
        '72658003', // Miliaria (prickly heat)
        '19877001', // Rhinophyma
        '254794007', // Angiosarcoma of skin
      ].sort(),
    );
    // Issue 12 names these as needing a code: melanoma, BCC, SCC, psoriasis, eczema.
    const codeOf = (id: string): string | null | undefined => diagnoses.find((d) => d.id === id)?.snomedCode;
    expect(codeOf('melanoma')).toBe('93655004');
    expect(codeOf('basal-cell-carcinoma')).toBe('254701007');
    expect(codeOf('squamous-cell-carcinoma')).toBe('254651007');
    expect(codeOf('psoriasis')).toBe('9014002');
    expect(codeOf('eczema')).toBe('43116000');
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
