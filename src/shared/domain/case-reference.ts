/**
 * The short reference a practice and the service quote for a referral: "DD-" and the first eight
 * hex digits of the case id, upper case. It is what notifications carry instead of patient data,
 * and what the letter and the inbox print, so a reader can match them.
 */
export function caseReference(caseId: string): string {
  return `DD-${caseId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}
