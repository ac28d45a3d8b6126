import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit } from './nhs-number';

describe('NHS number Modulus 11', () => {
  it('accepts published valid examples', () => {
    // 943 476 5919 is the NHS Digital example used in its developer documentation.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
  });

  it('rejects a wrong check digit, wrong length and non-digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659l9')).toBe(false);
  });

  it('treats a remainder giving 10 as invalid and 11 as check digit 0', () => {
    // 100000004: sum = 10 + 4*2 = 18, 18 mod 11 = 7, 11-7 = 4
    expect(nhsCheckDigit('100000004')).toBe(4);
    // 000000000: sum 0, 11 - 0 = 11 -> 0
    expect(nhsCheckDigit('000000000')).toBe(0);
    // 100000060: sum = 10 + 6*3 = 28, 28 mod 11 = 6, 11-6 = 5; find a 10 case: 100000001 → 10+2=12, 12 mod 11=1, 11-1=10
    expect(nhsCheckDigit('100000001')).toBeNull();
  });

  it('formats 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
