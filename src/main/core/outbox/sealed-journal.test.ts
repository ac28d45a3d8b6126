import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { CaseCache } from '../cases/case-cache';
import { openDatabase, type Db } from '../db/open-database';
import { signDecision } from '../decisions/sign-decision';
import { enqueueOutbox } from './enqueue-outbox';
import { generateSealingKeyPair, openSealed } from '../../../common/sealed-box/sealed-box';
import { SealedJournal } from './sealed-journal';

const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };
const now = new Date('2026-11-23T10:00:00.000Z');
const hub = generateSealingKeyPair();
/** Lets the journal's after-commit microtask run. */
const afterCommit = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('sealed outbox journal', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let db: Db;
  let journal: SealedJournal;
  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(join(dir.path, 'cache.sqlite'), { key: 'ab'.repeat(32) });
    journal = new SealedJournal(db, dir.path, () => hub);
  });
  afterEach(() => {
    if (db.open) db.close();
    dir.remove();
  });
  const files = (): string[] => readdirSync(journal.dir).sort();

  it('seals every outbox row of a signing (decision and audit) and names no patient in the file names', async () => {
    const record = sampleCase();
    new CaseCache(db).upsert(record);
    const decision = signDecision(db, { caseId: record.id, content: sampleDischarge(), consultant }, now, journal);
    // Inside the transaction each was written as .pending; after the commit they are .sealed.
    await afterCommit();
    const auditSeq = (db.prepare(`SELECT ref_id FROM outbox WHERE kind = 'audit'`).get() as { ref_id: string }).ref_id;
    expect(files()).toEqual([`audit~${auditSeq}.sealed`, `decision~${decision.id}.sealed`].sort());
    const box = readFileSync(join(journal.dir, `decision~${decision.id}.sealed`));
    const opened = openSealed(hub, box);
    const row = db.prepare(`SELECT payload_json FROM outbox WHERE kind = 'decision'`).get() as { payload_json: string };
    expect(opened.content.payload).toEqual(JSON.parse(row.payload_json));
    expect(opened.header.consultantId).toBe('c-1');
    for (const name of files()) {
      expect(name).not.toContain(record.patient.familyName);
      expect(name).not.toContain(record.patient.nhsNumber);
    }
    const bytes = box.toString('latin1');
    expect(bytes.includes(record.patient.familyName)).toBe(false);
    expect(bytes.includes(record.patient.nhsNumber)).toBe(false);
  });

  it('a transaction that throws after the sealed write leaves no .sealed file; reconcile deletes its .pending', async () => {
    const attempt = db.transaction(() => {
      enqueueOutbox(
        db,
        {
          kind: 'decision',
          refId: 'd-rolled-back',
          payload: { x: 1 },
          consultantId: 'c-1',
          at: now.toISOString(),
        },
        journal,
      );
      throw new Error('the signing failed after the journal write');
    });
    expect(() => attempt()).toThrow('the signing failed');
    // Synchronously, as after a crash right here: only the .pending exists, and a new start drops it.
    expect(files()).toEqual(['decision~d-rolled-back.pending']);
    const restarted = new SealedJournal(db, dir.path, () => hub);
    expect(restarted.reconcile()).toEqual({ promoted: 0, dropped: 1, sent: 0 });
    expect(files()).toEqual([]);
    // Without a crash the after-commit step drops it too: nothing rolled back is ever .sealed.
    expect(() => attempt()).toThrow();
    await afterCommit();
    expect(files()).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
  });

  it('a crash between commit and rename leaves .pending with its committed row: reconcile promotes it', () => {
    db.transaction(() => {
      enqueueOutbox(
        db,
        {
          kind: 'pass-on',
          refId: 'case-9',
          payload: { note: 'hi' },
          consultantId: 'c-1',
          at: now.toISOString(),
        },
        journal,
      );
    })();
    // The after-commit microtask has not run: this is the state a kill -9 at this instant leaves.
    expect(files()).toEqual(['pass-on~case-9.pending']);
    const restarted = new SealedJournal(db, dir.path, () => hub);
    expect(restarted.id).toBe(journal.id);
    expect(restarted.reconcile()).toEqual({ promoted: 1, dropped: 0, sent: 0 });
    expect(files()).toEqual(['pass-on~case-9.sealed']);
  });

  it('reconcile deletes a .sealed entry whose row was sent, and partial .tmp writes', async () => {
    db.transaction(() => {
      enqueueOutbox(
        db,
        {
          kind: 'audit',
          refId: '7',
          payload: { seq: 7 },
          consultantId: 'system',
          at: now.toISOString(),
        },
        journal,
      );
    })();
    await afterCommit();
    db.prepare('DELETE FROM outbox').run();
    writeFileSync(join(journal.dir, 'audit~8.tmp'), 'half a write');
    expect(new SealedJournal(db, dir.path, () => hub).reconcile()).toEqual({ promoted: 0, dropped: 0, sent: 1 });
    expect(files()).toEqual([]);
  });

  it('a journal that cannot be written refuses the signing and commits nothing', () => {
    const record = sampleCase();
    new CaseCache(db).upsert(record);
    rmSync(journal.dir, { recursive: true });
    writeFileSync(journal.dir, 'not a folder');
    expect(() => signDecision(db, { caseId: record.id, content: sampleDischarge(), consultant }, now, journal)).toThrow(
      /sealed copy of this decision could not be written/,
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
  });

  it('lists the journals of other (lost) caches as orphans, not this one', async () => {
    db.transaction(() => {
      enqueueOutbox(
        db,
        { kind: 'audit', refId: '1', payload: {}, consultantId: 'c-1', at: now.toISOString() },
        journal,
      );
    })();
    await afterCommit();
    expect(journal.orphans()).toEqual([]);
    // A fresh cache (its key was lost) gets a new journal id; the old folder is now an orphan.
    const fresh = openDatabase(join(dir.path, 'other.sqlite'), { key: 'cd'.repeat(32) });
    const next = new SealedJournal(fresh, dir.path, () => hub);
    expect(next.id).not.toBe(journal.id);
    expect(next.orphans()).toEqual([
      { id: 'audit~1', file: join(journal.dir, 'audit~1.sealed'), state: 'sealed', consultantId: 'c-1' },
    ]);
    next.removeOrphan(next.orphans()[0]!);
    expect(existsSync(journal.dir)).toBe(false);
    fresh.close();
  });
});
