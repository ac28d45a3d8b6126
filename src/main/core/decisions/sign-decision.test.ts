import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { type AppError } from '../../../shared/contract/errors';
import { verifyAuditChain } from '../audit/audit-log';
import { signDecision } from './sign-decision';

const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };
const now = new Date('2026-11-23T10:00:00.000Z');

describe('signDecision', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore();
  });
  afterEach(() => core.cleanup());

  const count = (table: string, where = '1=1'): number =>
    (core.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

  it('writes the decision, its outbox row and its audit row together', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    const decision = signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now);
    expect(decision).toMatchObject({ caseId: record.id, version: 1, caseVersion: 1, supersedes: null });
    expect(count('decisions')).toBe(1);
    expect(count('outbox', "kind = 'decision'")).toBe(1);
    expect(count('audit_log', "action = 'decision.signed'")).toBe(1);
    expect(count('outbox', "kind = 'audit'")).toBe(1);
    expect(verifyAuditChain(core.db)).toEqual({ ok: true, rows: 1 });
    expect(core.cases.list({ limit: 10, offset: 0 }).cases[0]?.state).toBe('signed-pending-sync');
  });

  it('refuses to triage without consent and writes nothing', () => {
    const record = sampleCase({ referral: { consent: null } });
    core.cases.upsert(record);
    expect(() => signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now)).toThrow(
      expect.objectContaining({ code: 'validation', field: 'consent' }) as unknown as AppError,
    );
    expect(count('decisions') + count('outbox') + count('audit_log')).toBe(0);
  });

  it('never downgrades a suspected-cancer referral silently', () => {
    const record = sampleCase({ referral: { priority: 'suspected-cancer' } });
    core.cases.upsert(record);
    expect(() => signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now)).toThrow(
      /Only the referrer can downgrade/,
    );
    const withAdvice = sampleDischarge({
      downgradeAdvice: 'Clinically a seborrhoeic keratosis; please consider downgrading.',
    });
    expect(signDecision(core.db, { caseId: record.id, content: withAdvice, consultant }, now).downgradeAdvice).toMatch(
      /downgrading/,
    );
  });

  it('freezes a signed decision: a second signature must be an amendment referencing it', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    const first = signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now);
    expect(() => signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now)).toThrow(
      /Amend it instead/,
    );
    const amended = signDecision(
      core.db,
      { caseId: record.id, content: sampleDischarge(), consultant, supersedes: first.id },
      now,
    );
    expect(amended).toMatchObject({ version: 2, supersedes: first.id });
    expect(count('audit_log', "action = 'decision.amended'")).toBe(1);
  });

  it('leaves nothing behind when any part of the transaction fails', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    core.db.exec(
      "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END",
    );
    expect(() => signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now)).toThrow(
      /disk full/,
    );
    expect(count('decisions') + count('outbox')).toBe(0);
  });

  it('detects a tampered audit log', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now);
    expect(() => core.db.prepare("UPDATE audit_log SET actor = 'someone-else'").run()).toThrow(/append-only/);
    core.db.exec('DROP TRIGGER audit_log_no_update');
    core.db.prepare("UPDATE audit_log SET actor = 'someone-else'").run();
    expect(verifyAuditChain(core.db)).toEqual({ ok: false, brokenAt: 1 });
  });
});
