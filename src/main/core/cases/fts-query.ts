/**
 * Turns what the consultant typed into a safe FTS5 MATCH expression. FTS5 has its own query
 * language (quotes, AND/OR/NOT, NEAR, column filters, `*`, `^`); user text must never reach it
 * raw, or a stray quote becomes a syntax error and a crafted one changes the query. Every word
 * becomes a quoted prefix term, all ANDed, within the searchable columns only (the index's `tags`
 * column holds the worklist filters, which typed text must not match). A query that is only
 * digits and spaces (an NHS number as printed, "943 476 5919") searches the NHS number column as
 * one prefix.
 */
export const MAX_SEARCH_TERMS = 8;
export const SEARCHED_COLUMNS = '{patient_name nhs_number referral_text practice}';

export function toFtsQuery(input: string): string | null {
  const compact = input.replace(/\s+/g, '');
  if (/^\d{3,10}$/.test(compact)) return `nhs_number : "${compact}"*`;
  const words = input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, MAX_SEARCH_TERMS);
  if (words.length === 0) return null;
  return `${SEARCHED_COLUMNS} : (${words.map((w) => `"${w}"*`).join(' ')})`;
}
