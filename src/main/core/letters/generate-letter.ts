import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { Db } from '../db/open-database';
import { AnnotationStore } from '../images/annotation-store';
import { readCachedImage } from '../images/image-reader';
import { keyImage as drawKeyImage, type KeyImage } from '../../../common/letters/key-image';
import type { ExportFiles } from '../images/export-annotated';
import { letterContent } from '../../../common/letters/letter-content';
import type { Letterhead } from '../../../shared/domain/letterhead';
import { SyncKv } from '../db/sync-kv';
import { renderLetterPdf } from '../../../common/letters/outcome-letter';

/**
 * The key image from this workstation's cache: the common choice and burn-in (the hub draws the
 * practice's copy with the same function from its own copies of the image and the marks). For a
 * signed decision that carries its marks (`decision.marks`), those, not what is drawn since: the
 * same marks the hub's issued letter shows.
 */
export async function keyImage(
  db: Db,
  files: ExportFiles,
  record: CaseRecord,
  decision?: Pick<SignedDecision, 'marks'>,
): Promise<KeyImage | null> {
  const store = new AnnotationStore(db, () => new Date());
  const signed = decision?.marks ? new Map(decision.marks.map((m) => [m.sha256, m.doc])) : null;
  return drawKeyImage(record, {
    marksOf(sha) {
      if (signed) return signed.get(sha) ?? null;
      try {
        return store.get(sha).doc;
      } catch {
        return null; // marks from a newer version: show the image without them
      }
    },
    async original(sha) {
      const file = await readCachedImage(files.dataDir, files.imageKey, sha, 'original');
      return file.ok ? file.bytes : null;
    },
  });
}

/**
 * The service's letterhead as the hub gave it at the last sign-in (sync-kv.ts); undefined, and so
 * the demo's, before any sign-in or with an older hub.
 */
export function letterheadOf(db: Db): Letterhead | undefined {
  return new SyncKv(db).letterhead() ?? undefined;
}

/**
 * Writes the outcome letter for a signed decision to <exportDir>/<decisionId>.pdf (temp file then
 * rename, so a half-written letter is never left under the real name) and audits the export.
 */
export async function generateLetter(
  db: Db,
  files: ExportFiles,
  decisionId: string,
  actor: string,
  now: Date,
  journal: SealedJournal | null = null,
): Promise<{ path: string; fileName: string; bytes: number }> {
  const row = db
    .prepare(`SELECT d.decision_json, c.record_json FROM decisions d JOIN cases c ON c.id = d.case_id WHERE d.id = ?`)
    .get(decisionId) as { decision_json: string; record_json: string } | undefined;
  if (!row) throw new AppError('not-found', 'No signed decision with that id; sign the decision first.', 'decisionId');
  const decision = JSON.parse(row.decision_json) as SignedDecision;
  const record = JSON.parse(row.record_json) as CaseRecord;
  const pdf = await renderLetterPdf(
    letterContent(record, decision, { letterhead: letterheadOf(db) }),
    await keyImage(db, files, record, decision),
  );
  const dir = files.exportDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileName = `${decision.id}.pdf`;
  const path = join(dir, fileName);
  // Patient data: readable by this user only (0600), also when a crashed export left the .tmp behind.
  writeFileSync(`${path}.tmp`, pdf, { mode: 0o600 });
  chmodSync(`${path}.tmp`, 0o600);
  renameSync(`${path}.tmp`, path);
  appendAudit(
    db,
    { actor, caseId: decision.caseId, action: 'case.exported', detail: { decisionId, kind: 'letter' } },
    now,
    journal,
  );
  return { path, fileName, bytes: pdf.length };
}
