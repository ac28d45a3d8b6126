import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditRowHash, firstBrokenAuditRow, type AuditChainRow } from './audit-chain';

function chain(...entries: Array<Pick<AuditChainRow, 'actor' | 'action' | 'case_id'>>): AuditChainRow[] {
  const rows: AuditChainRow[] = [];
  let prev = AUDIT_GENESIS;
  entries.forEach((e, i) => {
    const content = { ...e, at: `2026-11-30T09:0${i}:00.000Z`, detail_json: JSON.stringify({ i }), prev_hash: prev };
    const hash = auditRowHash(content);
    rows.push({ seq: i + 1, ...content, hash });
    prev = hash;
  });
  return rows;
}

const rows = chain(
  { actor: 'c-1', action: 'case.viewed', case_id: 'case-1' },
  { actor: 'c-1', action: 'decision.signed', case_id: 'case-1' },
  { actor: 'system', action: 'cache.purged', case_id: null },
);

describe('the audit hash chain', () => {
  it('hashes the same fields in the same order as the chains already stored on workstations and the hub', () => {
    const row = rows[0]!;
    const expected = createHash('sha256')
      .update(JSON.stringify([AUDIT_GENESIS, row.at, 'c-1', 'case-1', 'case.viewed', '{"i":0}']))
      .digest('hex');
    expect(row.hash).toBe(expected);
  });

  it('accepts an intact chain, and an empty one', () => {
    expect(firstBrokenAuditRow(rows)).toBeNull();
    expect(firstBrokenAuditRow([])).toBeNull();
  });

  it('finds an edited row, a removed row and rows out of order', () => {
    expect(firstBrokenAuditRow(rows.map((r) => (r.seq === 2 ? { ...r, action: 'case.viewed' } : r)))).toBe(2);
    expect(firstBrokenAuditRow([rows[0]!, rows[2]!])).toBe(3);
    expect(firstBrokenAuditRow([rows[1]!, rows[0]!, rows[2]!])).toBe(2);
  });

  it('finds a row whose hash was recomputed after an edit (its successor no longer follows)', () => {
    const edited = { ...rows[1]!, detail_json: '{"i":99}' };
    const rehashed = { ...edited, hash: auditRowHash(edited) };
    expect(firstBrokenAuditRow([rows[0]!, rehashed, rows[2]!])).toBe(3);
  });
});
