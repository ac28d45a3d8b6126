/**
 * NHS number check digit (Modulus 11): weights 10..2 over the first nine digits; the check digit
 * is 11 - (sum mod 11), where 11 means 0 and 10 means the number is invalid.
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** 943 476 5919: the NHS's display grouping, 3-3-4. */
export function formatNhsNumber(value: string): string {
  const d = value.replace(/\s/g, '');
  return d.length === 10 ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : value;
}
