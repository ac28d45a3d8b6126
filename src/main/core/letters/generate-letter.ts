import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/contract/errors';
import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { Db } from '../db/open-database';
import { AnnotationStore } from '../images/annotation-store';
import { readCachedImage } from '../images/image-reader';
import type { AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import { burnInAnnotations } from '../images/burn-in';
import type { ExportFiles } from '../images/export-annotated';
import { letterContent } from '../../../common/letters/letter-content';
import { renderLetterPdf } from '../../../common/letters/outcome-letter';

/**
 * The key image: the first image the consultant annotated (drawn with its marks), else the first
 * cached close-up or dermoscopy image, else any cached image. A corrupt or missing file is skipped.
 */
async function keyImage(
  db: Db,
  files: ExportFiles,
  record: CaseRecord,
): Promise<{ jpeg: Buffer; caption: string } | null> {
  const store = new AnnotationStore(db, () => new Date());
  const marks = (sha: string): AnnotationDoc | null => {
    try {
      const doc = store.get(sha).doc;
      return doc && doc.shapes.length > 0 ? doc : null;
    } catch {
      return null; // marks from a newer version: show the image without them
    }
  };
  const ordered = [...record.images].sort(
    (a, b) =>
      Number(marks(b.sha256) !== null) - Number(marks(a.sha256) !== null) ||
      Number(a.kind === 'overview') - Number(b.kind === 'overview'),
  );
  for (const image of ordered) {
    const doc = marks(image.sha256);
    // Marks are in oriented-original pixels, so an annotated image is drawn from the original.
    for (const variant of doc ? ['original'] : ['preview', 'original']) {
      const file = await readCachedImage(files.dataDir, files.imageKey, image.sha256, variant);
      if (!file.ok) continue;
      try {
        const { png: composed } = await burnInAnnotations(file.bytes, doc);
        const jpeg = await sharp(composed)
          .resize({ width: 900, height: 900, fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: 80 })
          .toBuffer();
        const taken = image.takenAt ? `, taken ${image.takenAt.slice(0, 10)}` : '';
        return { jpeg, caption: `${image.kind} image${taken}${doc ? ", with the consultant's marks" : ''}` };
      } catch {
        // A corrupt cached file must not stop the letter; try the next image.
      }
    }
  }
  return null;
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
  const pdf = await renderLetterPdf(letterContent(record, decision), await keyImage(db, files, record));
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
