import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './fts-query';

const C = '{patient_name nhs_number referral_text practice} : ';

describe('toFtsQuery', () => {
  it('makes every word a quoted prefix term', () => {
    expect(toFtsQuery('Lovelace forearm')).toBe(`${C}("Lovelace"* "forearm"*)`);
  });

  it('searches an NHS number typed with spaces as one prefix on that column', () => {
    expect(toFtsQuery('943 476 5919')).toBe('nhs_number : "9434765919"*');
    expect(toFtsQuery('943476')).toBe('nhs_number : "943476"*');
  });

  it('neutralises FTS5 syntax: quotes, operators, column filters, NEAR, stars, carets', () => {
    expect(toFtsQuery('"a" OR b*')).toBe(`${C}("a"* "OR"* "b"*)`);
    expect(toFtsQuery('patient_name:x NEAR(y z) ^w -v')).toBe(
      `${C}("patient"* "name"* "x"* "NEAR"* "y"* "z"* "w"* "v"*)`,
    );
    expect(toFtsQuery("'; DROP TABLE cases; --")).toBe(`${C}("DROP"* "TABLE"* "cases"*)`);
  });

  it('returns null when nothing searchable is left, and caps very long queries', () => {
    expect(toFtsQuery('  "*()  ')).toBeNull();
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('a b c d e f g h i j k')?.match(/"[a-z]"\*/g)).toHaveLength(8);
  });

  it('keeps accented and non-Latin letters', () => {
    expect(toFtsQuery('Zoë Ødegård')).toBe(`${C}("Zoë"* "Ødegård"*)`);
  });
});
